package io.rollcall.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through {@code /usr/bin/chromedriver} (nothing is downloaded), with the few steps
 * the console's end-to-end tests share: sign in, open a screen, wait for text, save a screenshot under
 * {@code target/console-screenshots/}. Without Chromium the tests fail under CI ({@code CI} set) and are skipped
 * elsewhere, saying how to install it.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Dimension WIDE = new Dimension(1280, 1000);
    static final Dimension PHONE = new Dimension(390, 844);
    private static final Map<String, String> SCREENSHOT_NUMBERS = new ConcurrentHashMap<>();

    final WebDriver driver;
    final String base;
    private final Path profile;

    private Browser(WebDriver driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    /** @param console the console's URL, ending in {@code /console/} */
    static Browser start(String console) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "Debian's chromium and chromium-driver are needed for the console's browser tests: "
                + "apt-get install chromium chromium-driver (.ci/run does)";
        if (!installed) {
            if (System.getenv("CI") != null) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
        try {
            Path profile = Files.createTempDirectory("rollcall-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--disable-features=Translate,MediaRouter",
                    "--user-data-dir=" + profile, "--window-size=1280,1000", "--lang=en-US");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            Files.createDirectories(SCREENSHOTS);
            return new Browser(driver, console, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the console afresh (no session cookie) at its sign-in page. */
    void signedOut() {
        driver.manage().window().setSize(WIDE);
        driver.get(base);
        driver.manage().deleteAllCookies();
        driver.get("about:blank");
        driver.get(base + "#/roles");
        waitFor(By.id("token"));
    }

    /** Signs in with the token through the sign-in form and waits for the console's navigation. */
    void signIn(String token) {
        signedOut();
        type(By.id("token"), token);
        click(By.cssSelector("form button[type=submit]"));
        waitFor(By.cssSelector("nav[aria-label=Console]"));
    }

    /** Goes to a screen as a person following a link would (the page is not loaded again). */
    void open(String route) {
        script("window.location.hash = arguments[0];", "#/" + route);
    }

    WebElement waitFor(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitGone(By by) {
        until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    WebElement waitForText(By by, String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return driver.findElement(by);
    }

    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(condition);
    }

    /** Clicks the element once it is clickable, scrolled to the middle of the window (clear of sticky bars). */
    void click(By by) {
        click(until(ExpectedConditions.elementToBeClickable(by)));
    }

    void click(WebElement element) {
        script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", element);
        element.click();
    }

    void type(By by, String text) {
        WebElement field = waitFor(by);
        field.clear();
        field.sendKeys(text);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    String cookie(String name) {
        Cookie cookie = driver.manage().getCookieNamed(name);
        return cookie == null ? null : cookie.getValue();
    }

    Cookie cookieObject(String name) {
        return driver.manage().getCookieNamed(name);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** The element with keyboard focus. */
    WebElement focused() {
        return driver.switchTo().activeElement();
    }

    void phone() {
        driver.manage().window().setSize(PHONE);
    }

    void wide() {
        driver.manage().window().setSize(WIDE);
    }

    /** Whether the page is wider than the window (something a reader would have to scroll sideways for). */
    boolean overflowsSideways() {
        return (Boolean) script("return document.documentElement.scrollWidth > window.innerWidth + 1;");
    }

    /**
     * Saves the window as {@code <name>.png}; names start with a number of their own ({@code 07-roles-default}), so
     * that the files list in the order of the flows and no two screens share one.
     */
    /**
     * Fails unless the control can be used at the window's width: shown, enabled, and, once scrolled to, wholly inside
     * the window sideways (not cut off at the right edge, nor needing a sideways scroll inside a dialog).
     */
    void assertReachable(WebElement control, String what) {
        script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", control);
        Assertions.assertTrue(control.isDisplayed() && control.isEnabled(), what + " is shown and enabled");
        Assertions.assertTrue((Boolean) script("const r = arguments[0].getBoundingClientRect();"
                + " return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 1;", control),
                what + " lies inside the " + driver.manage().window().getSize().getWidth() + " px window");
    }

    /** Whether the element (a dialog, a panel) fits the window sideways with nothing inside it scrolled off. */
    boolean fitsSideways(WebElement element) {
        return (Boolean) script("const e = arguments[0], r = e.getBoundingClientRect();"
                + " return r.left >= 0 && r.right <= window.innerWidth + 1 && e.scrollWidth <= e.clientWidth + 1;",
                element);
    }

    Path screenshot(String name) {
        String number = name.substring(0, name.indexOf('-'));
        String earlier = SCREENSHOT_NUMBERS.putIfAbsent(number, name);
        Assertions.assertTrue(earlier == null || earlier.equals(name),
                "screenshot number " + number + " is taken by " + earlier + ": give " + name + " a number of its own");
        try {
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
