package io.tracestream.ops;

import io.tracestream.store.StoreHealth;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the event store answers and live delivery runs: a load balancer stops sending
 * traffic to an instance cut off from Redis. Always ready on the in-memory backend.
 * <p>
 * Not ready while the application is still being deployed: Payara answers {@code /health/ready}
 * already then, before the application's configuration can be read, and creating the store at
 * that moment failed with a stack trace in the log (a launcher polling readiness hit it).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    static final String NAME = "event-store";

    /** Null until the application is deployed. */
    private volatile StoreHealth store;

    /** After the other start-up observers, which create the store. */
    void onStartup(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) @Initialized(ApplicationScoped.class) Object event,
                   StoreHealth store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        StoreHealth health = store;
        if (health == null) {
            return HealthCheckResponse.named(NAME).down().withData("starting", true).build();
        }
        return HealthCheckResponse.named(NAME)
                .status(health.isAvailable())
                .withData("backend", health.name())
                .build();
    }
}
