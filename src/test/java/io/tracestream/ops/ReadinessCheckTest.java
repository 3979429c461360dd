package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.store.StoreHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Readiness: down while the application is deployed, then the store's own state. */
class ReadinessCheckTest {

    /** The responses Payara's implementation would build; MicroProfile Health's API has none of its own. */
    @BeforeAll
    static void responses() {
        HealthCheckResponse.setResponseProvider(() -> new HealthCheckResponseBuilder() {
            private String name;
            private boolean up;
            private final Map<String, Object> data = new LinkedHashMap<>();

            @Override
            public HealthCheckResponseBuilder name(String name) {
                this.name = name;
                return this;
            }

            @Override
            public HealthCheckResponseBuilder withData(String key, String value) {
                data.put(key, value);
                return this;
            }

            @Override
            public HealthCheckResponseBuilder withData(String key, long value) {
                data.put(key, value);
                return this;
            }

            @Override
            public HealthCheckResponseBuilder withData(String key, boolean value) {
                data.put(key, value);
                return this;
            }

            @Override
            public HealthCheckResponseBuilder up() {
                return status(true);
            }

            @Override
            public HealthCheckResponseBuilder down() {
                return status(false);
            }

            @Override
            public HealthCheckResponseBuilder status(boolean up) {
                this.up = up;
                return this;
            }

            @Override
            public HealthCheckResponse build() {
                return new HealthCheckResponse(name, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                        data.isEmpty() ? Optional.empty() : Optional.of(Map.copyOf(data)));
            }
        });
    }

    @AfterAll
    static void noResponses() {
        HealthCheckResponse.setResponseProvider(null);
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
