package io.tracestream.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.domain.FieldError;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.guards.GuardSettings;
import io.tracestream.domain.guards.RunAlert;
import io.tracestream.domain.guards.RunGuards;
import io.tracestream.domain.summary.PriceTable;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo a newcomer plays first must not page anyone: its workflow, played at its own pace with
 * the clock ticking every second, trips none of the run guards at their default thresholds.
 */
class DemoWorkflowGuardsTest {

    @Test
    void theDemoWorkflowAtItsOwnPaceRaisesNoRunAlertWithTheDefaultGuards() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        try (InputStream in = DemoWorkflow.class.getResourceAsStream(DemoWorkflow.FIXTURE);
             JsonReader reader = JsonFactories.reader(in)) {
            JsonArray array = reader.readArray();
            List<FieldError> errors = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                events.add(TraceEventJson.read(array.get(i), "[" + i + "]", errors).withId((i + 1) + "-0"));
            }
            assertEquals(List.of(), errors);
        }
        RunGuards guards = new RunGuards(GuardSettings.defaults(), PriceTable.withBundledPrices(""));
        List<RunAlert> alerts = new ArrayList<>();
        Instant clock = events.get(0).timestamp();
        for (TraceEvent e : events) {
            while (clock.isBefore(e.timestamp())) {
                alerts.addAll(guards.onTick(clock));
                clock = clock.plus(Duration.ofSeconds(1));
            }
            alerts.addAll(guards.onEvent(e));
        }
        alerts.addAll(guards.onTick(clock.plus(Duration.ofMinutes(5))));
        assertEquals(List.of(), alerts);
    }
}
