package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.store.StoreUnavailableException;
import io.tracestream.store.WorkflowActivity;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

/**
 * A scrape while Redis does not answer: the workflow levels are read from the store, and one that
 * threw made Payara answer the whole scrape with a 500 error page (OtlpJavaSdkIT's opening scrape
 * got HTML: the instance had just started and Redis had not answered yet). Every gauge must answer
 * a number, NaN for what cannot be read.
 */
class FailSafeGaugeTest {

    /** The gauges a registry was given, by name, read as a scrape reads them. */
    private final Map<String, Supplier<Double>> gauges = new LinkedHashMap<>();

    @Test
    void aGaugeWhoseReadingFailsIsScrapedAsNaN() {
        Supplier<Number> failing = FailSafeGauge.of("g", () -> {
            throw new StoreUnavailableException("Redis did not answer", null);
        });
        assertTrue(Double.isNaN(failing.get().doubleValue()));
        assertEquals(3, FailSafeGauge.of("g", () -> 3).get().intValue());
    }

    @Test
    void theWorkflowLevelsAreNaNWhileTheStoreDoesNotAnswerAndNoGaugeThrows() {
        WorkflowMetrics metrics = new WorkflowMetrics();
        metrics.registry = recordingRegistry();
        metrics.activity = new StoreDown();
        metrics.config = new io.tracestream.config.TraceStreamConfig();
        metrics.init();
        metrics.agentSeen("planner");

        assertFalse(gauges.isEmpty());
        gauges.forEach((name, gauge) -> assertTrue(Double.isNaN(gauge.get()), name + " while the store is down"));
        assertTrue(gauges.containsKey("tracestream_workflows_running"));
        assertTrue(gauges.containsKey("tracestream_agent_last_event_timestamp_seconds"));
    }

    /** A registry that keeps each gauge's reading and hands out inert counters and timers. */
    private MetricRegistry recordingRegistry() {
        return (MetricRegistry) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MetricRegistry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("gauge") && args.length >= 3 && args[0] instanceof Metadata metadata) {
                        Object object = args[1];
                        @SuppressWarnings("unchecked")
                        Function<Object, Number> read = (Function<Object, Number>) args[2];
                        gauges.put(metadata.getName(), () -> read.apply(object).doubleValue());
                        return null;
                    }
                    return inert(method.getReturnType());
                });
    }

    private static Object inert(Class<?> type) {
        if (!type.isInterface()) {
            return null;
        }
        return Proxy.newProxyInstance(FailSafeGaugeTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getReturnType() == long.class ? 0L : inert(method.getReturnType()));
    }

    /** The workflow activity of a store that does not answer. */
    private static final class StoreDown implements WorkflowActivity {
        @Override
        public void started(String traceId, long atMillis) {
            throw down();
        }

        @Override
        public OptionalLong ended(String traceId) {
            throw down();
        }

        @Override
        public void agentsSeen(Map<String, Long> lastEventMillisByAgent) {
            throw down();
        }

        @Override
        public List<Running> running() {
            throw down();
        }

        @Override
        public Map<String, Long> agentsLastSeen() {
            throw down();
        }

        private static StoreUnavailableException down() {
            return new StoreUnavailableException("Redis did not answer", null);
        }
    }
}
