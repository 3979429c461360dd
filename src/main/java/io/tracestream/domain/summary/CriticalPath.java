package io.tracestream.domain.summary;

import java.time.Instant;
import java.util.List;

/**
 * The steps that set the trace's duration: shorten any of them and the trace ends sooner.
 * Shortening a step off the path changes nothing, because something on the path ran at the same
 * time and took longer.
 *
 * @param durationMs the trace's duration, which the path accounts for
 * @param steps      ordered by start, an enclosing step before the steps inside it
 */
public record CriticalPath(long durationMs, List<Entry> steps) {

    /**
     * One step on the path.
     *
     * @param startedAt  clipped to the enclosing step, as is the duration
     * @param selfMs     the part of the duration not spent waiting on a deeper step of the path:
     *                   where the time actually went
     */
    public record Entry(int stepIndex, String agentId, StepKind kind, String name, Instant startedAt,
                        long durationMs, long selfMs) {}
}
