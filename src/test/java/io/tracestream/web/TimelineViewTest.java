package io.tracestream.web;

import static io.tracestream.web.StoredTrace.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.summary.TraceSummary;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TimelineViewTest {

    /**
     * A LangChain-style run as spans: the supervisor's own work wrapped in two plumbing steps, a
     * coder whose parent span (w2) has not arrived, and a model call by a stand-in whose parent (w)
     * has not arrived either.
     */
    static StoredTrace run() {
        return new StoredTrace()
                .add("task_started", "supervisor", 0, span("r", null, "span", "") + ",\"task_id\":\"supervise\"")
                .add("task_started", "supervisor", 100, span("p1", "r", "ancestor", "\"plumbing\":\"langchain\"")
                        + ",\"task_id\":\"RunnableSequence\"")
                .add("task_started", "supervisor", 150, span("p2", "p1", "ancestor", "\"plumbing\":\"langchain\"")
                        + ",\"task_id\":\"ChatPromptTemplate\"")
                .add("task_completed", "supervisor", 200, span("p2", "p1", "ancestor", "\"plumbing\":\"langchain\"")
                        + ",\"task_id\":\"ChatPromptTemplate\"")
                .add("task_completed", "supervisor", 400, span("p1", "r", "ancestor", "\"plumbing\":\"langchain\"")
                        + ",\"task_id\":\"RunnableSequence\"")
                .add("llm_call", "supervisor", 900, span("l1", "r", "ancestor", "") + ",\"model\":\"gpt-x\",\"duration_ms\":300")
                .add("tool_call", "coder", 1500, span("t1", "w2", "span", "\"tool\":\"grep\"") + ",\"duration_ms\":200")
                .add("llm_call", "svc", 2000, span("m", "w", "service", "") + ",\"model\":\"gpt-y\",\"duration_ms\":500");
    }

    static Map<String, TimelineView.Lane> lanes(TimelineView view) {
        return view.lanes().stream().collect(Collectors.toMap(TimelineView.Lane::label, Function.identity()));
    }

    static List<String> names(TimelineView.Lane lane) {
        return lane.bars().stream().map(TimelineView.Bar::name).toList();
    }

    @Test
    void frameworkStepsAreFoldedByDefaultAndCountedForTheToggle() {
        TraceSummary s = run().summary(2500);

        TimelineView view = TimelineView.of(s, StoredTrace.T0.plusMillis(2500));

        assertFalse(view.unfolded());
        assertEquals(2, view.plumbingSteps());
        assertEquals(List.of("supervise", "gpt-x"), names(lanes(view).get("supervisor")));
        assertEquals("Show 2 framework steps", view.toggleText());
        assertEquals(0, view.hiddenSteps(), "folded steps are not steps past the limit");
    }

    @Test
    void unfoldedFrameworkStepsTakeTheirPlaceInTheirLaneByStartTime() {
        TraceSummary s = run().summary(2500);

        TimelineView view = TimelineView.of(s, StoredTrace.T0.plusMillis(2500), true);

        TimelineView.Lane supervisor = lanes(view).get("supervisor");
        assertEquals(List.of("supervise", "RunnableSequence", "ChatPromptTemplate", "gpt-x"), names(supervisor));
        assertEquals("langchain", supervisor.bars().get(1).plumbing());
        assertNull(supervisor.bars().get(3).plumbing());
        assertTrue(supervisor.bars().get(1).title().contains("langchain framework step"), supervisor.bars().get(1).title());
        assertEquals("Hide framework steps", view.toggleText());
    }

    @Test
    void aPlaceholderNamingItsChildrensAgentIsThatAgentAtWorkInItsLane() {
        TraceSummary s = run().summary(2500);

        TimelineView.Lane coder = lanes(TimelineView.of(s, StoredTrace.T0.plusMillis(2500))).get("coder");

        assertEquals(List.of("working (span w2 not received yet)", "grep"), names(coder));
        assertEquals("working", coder.state());
        assertEquals("open", coder.bars().get(0).outcome());
    }

    @Test
    void aPlaceholderWhoseAgentIsNotKnownSitsInTheUnknownAgentsLaneAsWorkUnderWay() {
        TraceSummary s = run().summary(2500);

        TimelineView.Lane unknown = lanes(TimelineView.of(s, StoredTrace.T0.plusMillis(2500))).get("(agent not known yet)");

        assertNull(unknown.agentId());
        assertEquals(List.of("working (span w not received yet)"), names(unknown));
        assertEquals("working", unknown.state());
    }

    @Test
    void aTraceWithoutFrameworkStepsHasNothingToUnfold() {
        TraceSummary s = new StoredTrace().add("task_started", "a", 0, "\"task_id\":\"t\"").summary(100);

        TimelineView view = TimelineView.of(s, StoredTrace.T0.plusMillis(100));

        assertEquals(0, view.plumbingSteps());
        assertEquals("Show 0 framework steps", view.toggleText()); // the template hides the button then
        assertEquals(List.of("t"), names(view.lanes().get(0)));
    }
}
