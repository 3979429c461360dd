package io.tracestream.ops;

import io.tracestream.store.StoreHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the event store answers and live delivery runs: a load balancer stops sending
 * traffic to an instance cut off from Redis. Always ready on the in-memory backend.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    StoreHealth store;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("event-store")
                .status(store.isAvailable())
                .withData("backend", store.name())
                .build();
    }
}
