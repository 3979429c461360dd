package io.tracestream.domain.guards;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.guards.RunFeed.feed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.content.ArgumentsFingerprint;
import jakarta.json.Json;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.TestEvent;
import io.tracestream.domain.content.ContentDocument;
import io.tracestream.domain.summary.PriceTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsLoopTest {

    private final RunGuards guards = new RunGuards(GuardSettings.defaults(), PriceTable.empty());

    private static TraceEvent search(double second, String query) {
        return at(second, "tool_call", "researcher").attribute("tool", "search")
                .attribute("gen_ai.tool.call.arguments", "{\"query\":\"" + query + "\"}").build();
    }

    private static TraceEvent handoff(double second, String from, String to) {
        return at(second, "agent_transition", from).attribute("to_agent", to).build();
    }

    @Test
    void theSameToolWithTheSameArgumentsFourTimesIsALoopRaisedOnceAtTheFourthCall() {
        List<TraceEvent> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(search(i, "flights to Lisbon"));
        }
        assertEquals(List.of(), feed(guards, calls.toArray(TraceEvent[]::new)));

        TraceEvent fourth = search(3, "flights to Lisbon");
        List<RunAlert> alerts = guards.onEvent(fourth);

        assertEquals(1, alerts.size());
        RunAlert loop = alerts.get(0);
        assertEquals(AlertKind.LOOP, loop.kind());
        assertEquals(AlertSeverity.CRITICAL, loop.severity());
        assertTrue(loop.key().startsWith("loop:tool:search:"), loop.key());
        assertEquals("search", loop.evidence().getString("tool"));
        assertEquals("{\"query\":\"flights to Lisbon\"}", loop.evidence().getString("arguments"));
        assertEquals("attribute", loop.evidence().getString("arguments_from"));
        assertEquals(4, loop.evidence().getInt("calls"));
        assertEquals(List.of(calls.get(0).id(), calls.get(1).id(), calls.get(2).id(), fourth.id()), loop.eventIds());
        assertEquals(fourth.timestamp(), loop.at());
        assertFalse(loop.resolved());

        assertEquals(List.of(), feed(guards, search(4, "flights to Lisbon"), search(5, "flights to Lisbon")));
        assertEquals(List.of(loop), guards.openAlerts());
    }

    @Test
    void theSameToolWithDifferentArgumentsIsNotALoop() {
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            alerts.addAll(guards.onEvent(search(i, "page " + i)));
        }

        assertEquals(List.of(), alerts);
    }

    @Test
    void argumentsAreTheSameWhateverTheOrderOfTheirMembers() {
        List<RunAlert> alerts = feed(guards,
                at(0, "tool_call", "a").attribute("tool", "book").attribute("tool_arguments", "{\"city\":\"Oslo\",\"nights\":2}").build(),
                at(1, "tool_call", "a").attribute("tool", "book").attribute("tool_arguments", "{\"nights\":2,\"city\":\"Oslo\"}").build(),
                at(2, "tool_call", "a").attribute("tool", "book").attribute("tool_arguments", " {\"nights\": 2, \"city\": \"Oslo\"} ").build(),
                at(3, "tool_call", "b").attribute("tool", "book").attribute("tool_arguments", "{\"city\":\"Oslo\",\"nights\":2}").build());

        assertEquals(1, alerts.size());
        assertEquals("{\"city\":\"Oslo\",\"nights\":2}", alerts.get(0).evidence().getString("arguments"));
        assertEquals(List.of("a", "b"), alerts.get(0).evidence().getJsonArray("agents").getValuesAs(
                jakarta.json.JsonString::getString));
    }

    @Test
    void theContentBodysArgumentsAreTheCallsArgumentsWhenTheEventCarriesThem() {
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var body = new ContentDocument().toolCall("fetch", JsonFactories.object().add("url", "https://x.test/").build(),
                    JsonFactories.provider().createValue("attempt " + i)).build();
            alerts.addAll(guards.onEvent(at(i, "tool_call", "a").attribute("tool_call_id", "call-" + i)
                    .content(CallContent.of(body)).build()));
        }

        assertEquals(1, alerts.size());
        assertEquals("fetch", alerts.get(0).evidence().getString("tool"));
        assertEquals("content", alerts.get(0).evidence().getString("arguments_from"));
    }

    @Test
    void storedToolCallsWhosePreviewsAgreeButWholeArgumentsDifferAreNoLoop() {
        String sameStart = "{\"path\":\"report.md\",\"text\":\"" + "x".repeat(300);
        List<RunAlert> alerts = new ArrayList<>();
        List<RunAlert> same = new ArrayList<>();
        RunGuards other = new RunGuards(GuardSettings.defaults(), PriceTable.empty());
        for (int i = 0; i < 4; i++) {
            // What the store keeps: a 200-character preview, alike, and the whole arguments' fingerprint.
            alerts.addAll(guards.onEvent(at(i, "tool_call", "a").attribute("tool", "write_file")
                    .content(new CallContent(null, sameStart.substring(0, 200), "ok", 0, false, 0, false, "fp-" + i)).build()));
            same.addAll(other.onEvent(at(i, "tool_call", "a").attribute("tool", "write_file")
                    .content(new CallContent(null, sameStart.substring(0, 200), "ok", 0, false, 0, false, "fp-same")).build()));
        }
        assertEquals(List.of(), alerts, "four different files written");
        assertEquals(1, same.size());
        assertEquals("content", same.get(0).evidence().getString("arguments_from"));
        assertEquals(sameStart.substring(0, 200), same.get(0).evidence().getString("arguments"), "the preview as evidence");
    }

    @Test
    void theFingerprintOfArgumentsIsTheSameWhateverTheirMembersOrderOrWhetherTheyCameAsText() {
        assertEquals(ArgumentsFingerprint.ofArguments(Json.createObjectBuilder().add("q", "x").add("n", 3).build()),
                ArgumentsFingerprint.ofArguments(Json.createValue("{\"n\": 3, \"q\": \"x\"}")));
        assertNotEquals(ArgumentsFingerprint.ofArguments(Json.createValue("{\"n\": 3}")),
                ArgumentsFingerprint.ofArguments(Json.createValue("{\"n\": 4}")));
    }

    @Test
    void storedToolCallsCompareByTheirArgumentsPreview() {
        List<RunAlert> same = new ArrayList<>();
        List<RunAlert> different = new ArrayList<>();
        RunGuards other = new RunGuards(GuardSettings.defaults(), PriceTable.empty());
        for (int i = 0; i < 4; i++) {
            same.addAll(guards.onEvent(at(i, "tool_call", "a").attribute("tool", "sql")
                    .content(new CallContent(null, "select * from orders", "0 rows", 120, false, 0, true)).build()));
            different.addAll(other.onEvent(at(i, "tool_call", "a").attribute("tool", "sql")
                    .content(new CallContent(null, "select * from orders where id = " + i, "1 row", 120, false, 0, true)).build()));
        }

        assertEquals(1, same.size());
        assertEquals("preview", same.get(0).evidence().getString("arguments_from"));
        assertEquals(List.of(), different);
    }

    @Test
    void aToolWhoseArgumentsWereNotRecordedIsNeverALoopHoweverOftenItIsCalled() {
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // An OpenTelemetry tool span without gen_ai.tool.call.arguments (opt-in in the conventions).
            alerts.addAll(guards.onEvent(at(i, "tool_call", "a").attribute("agent_source", "gen_ai.agent.name")
                    .attribute("gen_ai.tool.name", "search").attribute("gen_ai.operation.name", "execute_tool")
                    .attribute("span_name", "execute_tool search").attribute("tool_call_id", "c" + i).build()));
            // The JSON API with the tool's name only.
            alerts.addAll(guards.onEvent(at(i, "tool_call", "b").attribute("tool", "lookup").build()));
        }
        assertEquals(List.of(), alerts);
    }

    @Test
    void withoutArgumentsTheCallsSteadyAttributesCompareAndIdsTimesAndOutcomesAreLeftOut() {
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            alerts.addAll(guards.onEvent(at(i, "tool_call", "a").attribute("tool", "weather").attribute("city", "Paris")
                    .attribute("tool_call_id", "c" + i).attribute("result", "rain " + i).status(i % 2 == 0 ? "ok" : "error")
                    .build()));
        }
        assertEquals(1, alerts.size());
        assertEquals("attributes", alerts.get(0).evidence().getString("arguments_from"));

        RunGuards other = new RunGuards(GuardSettings.defaults(), PriceTable.empty());
        List<RunAlert> cities = new ArrayList<>();
        for (String city : List.of("Paris", "Rome", "Oslo", "Lima")) {
            cities.addAll(other.onEvent(at(1, "tool_call", "a").attribute("tool", "weather").attribute("city", city).build()));
        }
        assertEquals(List.of(), cities);
    }

    @Test
    void aToolWithoutAToolAttributeIsNamedByItsTaskId() {
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            alerts.addAll(guards.onEvent(at(i, "tool_call", "a").task("read_file").attribute("path", "/etc/hosts").build()));
        }

        assertEquals("read_file", alerts.get(0).evidence().getString("tool"));
    }

    @Test
    void theSameHandoffCycleFourTimesIsALoopRaisedAtTheEighthHandoff() {
        List<TraceEvent> handoffs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            handoffs.add(handoff(2 * i, "planner", "coder"));
            handoffs.add(handoff(2 * i + 1, "coder", "planner"));
        }
        List<RunAlert> beforeLast = feed(guards, handoffs.subList(0, 7).toArray(TraceEvent[]::new));
        List<RunAlert> alerts = guards.onEvent(handoffs.get(7));

        assertEquals(List.of(), beforeLast);
        assertEquals(1, alerts.size());
        RunAlert loop = alerts.get(0);
        assertEquals("loop:handoff:coder>planner", loop.key());
        assertEquals(AlertSeverity.CRITICAL, loop.severity());
        assertEquals(4, loop.evidence().getInt("cycles"));
        assertEquals(handoffs.stream().map(TraceEvent::id).toList(), loop.eventIds());
    }

    @Test
    void aCycleOfThreeAgentsCountsWhereverItIsEntered() {
        List<RunAlert> alerts = feed(guards,
                handoff(0, "a", "b"), handoff(1, "b", "c"), handoff(2, "c", "a"),
                handoff(3, "a", "b"), handoff(4, "b", "c"), handoff(5, "c", "a"),
                handoff(6, "a", "b"), handoff(7, "b", "c"), handoff(8, "c", "a"),
                handoff(9, "a", "b"), handoff(10, "b", "c"), handoff(11, "c", "a"));

        assertEquals(List.of("loop:handoff:a>b>c"), alerts.stream().map(RunAlert::key).toList());
    }

    @Test
    void handoffsThatMoveOnOrCycleFewerTimesAreNotALoop() {
        List<RunAlert> alerts = feed(guards,
                handoff(0, "planner", "coder"), handoff(1, "coder", "planner"),
                handoff(2, "planner", "coder"), handoff(3, "coder", "planner"),
                handoff(4, "planner", "coder"), handoff(5, "coder", "planner"),
                handoff(6, "planner", "reviewer"), handoff(7, "reviewer", "writer"), handoff(8, "writer", "publisher"),
                at(9, "agent_transition", "publisher").build());

        assertEquals(List.of(), alerts);
    }

    @Test
    void oneAgentMakingMoreThanFiftyModelCallsIsWarnedOnce() {
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            alerts.addAll(guards.onEvent(at(i, "llm_call", "writer").model("gpt-4o").build()));
            alerts.addAll(guards.onEvent(at(i, "llm_call", "editor").model("gpt-4o").build()));
        }
        assertEquals(List.of(), alerts);

        TraceEvent fiftyFirst = at(51, "llm_call", "writer").model("gpt-4o").build();
        alerts.addAll(guards.onEvent(fiftyFirst));
        alerts.addAll(guards.onEvent(at(52, "llm_call", "writer").model("gpt-4o").build()));

        assertEquals(1, alerts.size());
        assertEquals("loop:model_calls:writer", alerts.get(0).key());
        assertEquals(AlertSeverity.WARNING, alerts.get(0).severity());
        assertEquals(51, alerts.get(0).evidence().getInt("model_calls"));
        assertEquals(fiftyFirst.id(), alerts.get(0).eventIds().get(alerts.get(0).eventIds().size() - 1));
    }

    @Test
    void loopGuardsAtZeroAreOff() {
        RunGuards off = new RunGuards(GuardSettings.defaults().withSameToolCalls(0).withHandoffCycles(0)
                .withModelCallsPerAgent(0), PriceTable.empty());
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            alerts.addAll(off.onEvent(search(i, "same")));
            alerts.addAll(off.onEvent(handoff(i, i % 2 == 0 ? "a" : "b", i % 2 == 0 ? "b" : "a")));
            alerts.addAll(off.onEvent(at(i, "llm_call", "a").build()));
        }

        assertEquals(List.of(), alerts);
    }

    @Test
    void theRunsEndResolvesItsLoopAndAFinishedRunRaisesNothingMore() {
        List<RunAlert> raised = feed(guards, search(0, "x"), search(1, "x"), search(2, "x"), search(3, "x"));
        TraceEvent end = at(10, "workflow_completed", "researcher").build();

        List<RunAlert> resolved = guards.onEvent(end);

        assertEquals(1, resolved.size());
        assertEquals(raised.get(0).key(), resolved.get(0).key());
        assertTrue(resolved.get(0).resolved());
        assertEquals(end.timestamp(), resolved.get(0).resolvedAt());
        assertEquals(raised.get(0).at(), resolved.get(0).at());
        assertEquals(List.of(), guards.openAlerts());
        assertEquals(List.of(), feed(guards, search(11, "y"), search(12, "y"), search(13, "y"), search(14, "y")));
    }
}
