package io.tracestream.domain.guards;

import io.tracestream.domain.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/** Feeds scripted events (built with {@link io.tracestream.domain.summary.TestEvent}) to a run's guards. */
final class RunFeed {

    private RunFeed() {}

    /** Feeds the events in order; returns every alert they raised or resolved. */
    static List<RunAlert> feed(RunGuards guards, TraceEvent... events) {
        List<RunAlert> out = new ArrayList<>();
        for (TraceEvent e : events) {
            out.addAll(guards.onEvent(e));
        }
        return out;
    }
}
