package io.rollcall.health;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import io.quarkus.runtime.StartupEvent;

/**
 * {@code /q/health/started}: UP once every start-up step has run (Flyway's migrations, then the bootstrap of the
 * permission catalogue, managed roles and first organization), or, when the database could not be reached, once the
 * server has started without it and waits for it ({@code io.rollcall.service.DatabaseStartup}): then readiness stays
 * DOWN until the database is back, and a Kubernetes startup probe does not restart a pod that only waits. The HTTP
 * server may already answer before that; a Kubernetes startup probe waits for this instead.
 */
@Startup
@ApplicationScoped
public class StartupCompleted implements HealthCheck {

    static final String NAME = "rollcall-startup";

    private volatile boolean completed;

    /** Observed after the application's own start-up observers (bootstrap runs at the default priority). */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent event) {
        completed = true;
    }

    public boolean completed() {
        return completed;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(completed).build();
    }
}
