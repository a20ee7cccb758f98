package io.rollcall.auth;

import jakarta.enterprise.context.RequestScoped;

import io.rollcall.access.Principal;

/** The principal of the current request, set by the {@link RequestAuthenticator} before any endpoint runs. */
@RequestScoped
public class CurrentCaller {

    private Principal principal;

    void set(Principal principal) {
        this.principal = principal;
    }

    public Principal get() {
        if (principal == null) {
            throw new IllegalStateException("No authenticated caller on this request");
        }
        return principal;
    }
}
