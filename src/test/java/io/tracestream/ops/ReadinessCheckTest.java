package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.store.StoreHealth;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Readiness: down while the application is deployed, then the store's own state. */
class ReadinessCheckTest {

    @BeforeAll
    static void responses() {
        HealthResponses.install();
    }

    @AfterAll
    static void noResponses() {
        HealthResponses.uninstall();
    }

    private static StoreHealth store(boolean available) {
        return new StoreHealth() {
            @Override
            public boolean isAvailable() {
                return available;
            }

            @Override
            public String name() {
                return "redis";
            }
        };
    }

    @Test
    void downWithoutTouchingTheStoreUntilTheApplicationIsDeployed() {
        HealthCheckResponse response = new ReadinessCheck().call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals(Optional.of(Map.of("starting", true)), response.getData());
        assertEquals(ReadinessCheck.NAME, response.getName());
    }

    @Test
    void onceDeployedItIsTheStoresAvailability() {
        ReadinessCheck check = new ReadinessCheck();
        check.onStartup(new Object(), store(true));
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
        assertEquals(Optional.of(Map.of("backend", "redis")), check.call().getData());

        ReadinessCheck down = new ReadinessCheck();
        down.onStartup(new Object(), store(false));
        assertEquals(HealthCheckResponse.Status.DOWN, down.call().getStatus());
    }
}
