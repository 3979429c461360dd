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
 */
public record TimelineView(long totalMs, List<Lane> lanes, List<String> ticks, int hiddenSteps) {

    /** More bars than this stop being readable; the rest are counted, not drawn. */
    static final int MAX_BARS = 400;
    /** A zero-length step still gets a visible sliver. */
    static final double MIN_WIDTH = 0.4;

    public record Lane(String agentId, String state, List<Bar> bars) {}

    public record Bar(int index, String name, String kind, String outcome, String style, String duration,
                      String title) {}

    static TimelineView of(TraceSummary s, Instant now) {
        Instant start = s.startedAt();
        Instant end = s.endedAt() != null ? s.endedAt() : (now.isAfter(s.lastEventAt()) ? now : s.lastEventAt());
        long total = Math.max(1, Duration.between(start, end).toMillis());
        Map<String, Lane> lanes = new LinkedHashMap<>();
        for (AgentSummary a : s.agents()) {
            lanes.put(a.agentId(), new Lane(a.agentId(), a.state().wireName(), new ArrayList<>()));
        }
        List<Step> steps = s.steps().stream()
                .sorted(Comparator.comparing(Step::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparingInt(Step::index))
                .toList();
        int drawn = 0;
        for (Step step : steps) {
            if (drawn == MAX_BARS) {
                break;
            }
            Lane lane = lanes.computeIfAbsent(step.agentId(), id -> new Lane(id, "idle", new ArrayList<>()));
            lane.bars().add(bar(step, start, total, end));
            drawn++;
        }
        List<Lane> shown = lanes.values().stream().filter(l -> !l.bars().isEmpty()).toList();
        List<String> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            ticks.add(Formats.INSTANCE.duration(total * i / 4));
        }
        return new TimelineView(total, shown, ticks, steps.size() - drawn);
    }

    private static Bar bar(Step step, Instant start, long total, Instant end) {
        Instant from = step.startedAt() != null ? step.startedAt() : start;
        long fromMs = Math.max(0, Duration.between(start, from).toMillis());
        long lengthMs = step.isOpen() ? Math.max(0, Duration.between(from, end).toMillis()) : step.durationMs();
        double left = Math.min(100, fromMs * 100.0 / total);
        double width = Math.max(MIN_WIDTH, Math.min(100 - left, lengthMs * 100.0 / total));
        String style = String.format(Locale.ROOT, "left:%.3f%%;width:%.3f%%", left, width);
        String duration = Formats.INSTANCE.duration(lengthMs);
        StringBuilder title = new StringBuilder().append(step.name() == null ? step.kind().wireName() : step.name())
                .append(" · ").append(step.kind().wireName()).append(" · ").append(duration)
                .append(" · ").append(step.outcome().wireName());
        if (step.error() != null && step.error().message() != null) {
            title.append(" · ").append(step.error().message());
        }
        return new Bar(step.index(), step.name() == null ? step.kind().wireName() : step.name(), step.kind().wireName(),
                step.outcome().wireName(), style, duration, title.toString());
    }
}
