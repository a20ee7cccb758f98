package io.rollcall.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import io.rollcall.support.Tokens;

/**
 * What the console's browser tests share: the packaged server ({@link ConsoleServer}, one for all the classes) and one
 * Chromium per test class, opened on first use and closed after the class; each test signs in afresh.
 */
@ExtendWith(ConsoleServer.class)
abstract class ConsoleEndToEnd {

    private static Browser browser;

    /** The class's browser, signed out or in whatever state the last test left it. */
    static Browser browser() {
        if (browser == null) {
            browser = Browser.start(ConsoleServer.consoleUrl());
        }
        return browser;
    }

    /** The browser, signed in afresh with the token. */
    static Browser as(String token) {
        Browser b = browser();
        b.signIn(token);
        return b;
    }

    /** The browser, signed in afresh as the Organization Owner. */
    static Browser owner() {
        return as(Tokens.owner());
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            try {
                browser.close();
            } finally {
                browser = null;
            }
        }
    }
}
