package io.tracestream.web;

import io.tracestream.domain.summary.AgentSummary;
import io.tracestream.domain.summary.Step;
import io.tracestream.domain.summary.TraceSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The waterfall: one lane per agent, one bar per step, placed on the trace's time axis in percent
 * so the page scales to any width. {@code trace.js} lays out the same geometry as it goes live.
 *
 * <p>Frameworks' own steps ({@link Step#plumbing()}: a LangGraph run is mostly RunnableSequences,
 * prompts and entry nodes) are folded by default, so the lanes show the agents' work; unfolded,
 * they take their place in their lanes by start time.
 *
 * @param hiddenSteps    steps past {@link #MAX_BARS}, counted and not drawn
 * @param plumbingSteps  frameworks' own steps in the trace, drawn only when {@code unfolded}
 */
public record TimelineView(long totalMs, List<Lane> lanes, List<String> ticks, int hiddenSteps, int plumbingSteps,
                           boolean unfolded) {

    /** More bars than this stop being readable; the rest are counted, not drawn. */
    static final int MAX_BARS = 400;
    /** A zero-length step still gets a visible sliver. */
    static final double MIN_WIDTH = 0.4;
    /** The lane of steps whose agent is not known yet (a placeholder whose children disagree or are stand-ins). */
    static final String UNKNOWN_AGENT_LABEL = "(agent not known yet)";

    /** @param agentId {@code null} for the steps whose agent is not known yet */
    public record Lane(String agentId, String label, String state, List<Bar> bars) {}

    /** @param plumbing the framework whose own step it is, or {@code null} for real work */
    public record Bar(int index, String name, String kind, String outcome, String style, String duration,
                      String title, String plumbing) {}

    /** Folded, as the page first shows it. */
    static TimelineView of(TraceSummary s, Instant now) {
        return of(s, now, false);
    }

    static TimelineView of(TraceSummary s, Instant now, boolean unfold) {
        Instant start = s.startedAt();
        Instant end = s.endedAt() != null ? s.endedAt() : (now.isAfter(s.lastEventAt()) ? now : s.lastEventAt());
        long total = Math.max(1, Duration.between(start, end).toMillis());
        Map<String, Lane> lanes = new LinkedHashMap<>();
        for (AgentSummary a : s.agents()) {
            lanes.put(a.agentId(), new Lane(a.agentId(), a.agentId(), a.state().wireName(), new ArrayList<>()));
        }
        int plumbing = (int) s.steps().stream().filter(Step::isPlumbing).count();
        List<Step> steps = s.steps().stream()
                .filter(step -> unfold || !step.isPlumbing())
                // A placeholder starts with its earliest child, which it encloses: it goes first.
                .sorted(Comparator.comparing(Step::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(step -> !step.placeholder())
                        .thenComparingInt(Step::index))
                .toList();
        int drawn = 0;
        for (Step step : steps) {
            if (drawn == MAX_BARS) {
                break;
            }
            // Only the unknown agent's lane is not in the summary's agents: it is working while it has open work.
            Lane lane = lanes.computeIfAbsent(step.agentId(), id -> new Lane(null, UNKNOWN_AGENT_LABEL,
                    s.steps().stream().anyMatch(o -> o.agentId() == null && o.isOpen()) ? "working" : "idle",
                    new ArrayList<>()));
            lane.bars().add(bar(step, start, total, end));
            drawn++;
        }
        List<Lane> shown = lanes.values().stream().filter(l -> !l.bars().isEmpty()).toList();
        List<String> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            ticks.add(Formats.INSTANCE.duration(total * i / 4));
        }
        return new TimelineView(total, shown, ticks, steps.size() - drawn, plumbing, unfold);
    }

    /** The toggle's words, as {@code trace.js} writes them. */
    public String toggleText() {
        return unfolded ? "Hide framework steps"
                : "Show " + plumbingSteps + " framework step" + (plumbingSteps == 1 ? "" : "s");
    }

    /**
     * A step's label. A placeholder has no name: it is a parent span not received yet, whose
     * children are running, so it reads as work under way rather than as an anonymous "task".
     */
    static String stepName(Step step) {
        if (step.placeholder()) {
            return "working (span " + step.spanId() + " not received yet)";
        }
        return step.name() == null ? step.kind().wireName() : step.name();
    }

    private static Bar bar(Step step, Instant start, long total, Instant end) {
        Instant from = step.startedAt() != null ? step.startedAt() : start;
        long fromMs = Math.max(0, Duration.between(start, from).toMillis());
        long lengthMs = step.isOpen() ? Math.max(0, Duration.between(from, end).toMillis()) : step.durationMs();
        double left = Math.min(100, fromMs * 100.0 / total);
        double width = Math.max(MIN_WIDTH, Math.min(100 - left, lengthMs * 100.0 / total));
        String style = String.format(Locale.ROOT, "left:%.3f%%;width:%.3f%%", left, width);
        String duration = Formats.INSTANCE.duration(lengthMs);
        String name = stepName(step);
        StringBuilder title = new StringBuilder().append(name)
                .append(" · ").append(step.kind().wireName()).append(" · ").append(duration)
                .append(" · ").append(step.outcome().wireName());
        if (step.isPlumbing()) {
            title.append(" · ").append(step.plumbing()).append(" framework step");
        }
        if (step.error() != null && step.error().message() != null) {
            title.append(" · ").append(step.error().message());
        }
        return new Bar(step.index(), name, step.kind().wireName(), step.outcome().wireName(), style, duration,
                title.toString(), step.plumbing());
    }
}
