package io.tracestream.traces;

import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.ops.InFlightWork;
import io.tracestream.store.EventStore;
import io.tracestream.store.TraceActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * The one scan of the trace list, newest activity first, for {@code GET /traces} and the dashboard's
 * list: it walks the store's index page by page and keeps the traces whose summary matches, up to
 * a page's worth, looking at no more than {@code maxScanned} traces so a rare filter stays cheap.
 */
@ApplicationScoped
public class TraceList {

    @Inject
    EventStore store;
    @Inject
    TraceSummaries summaries;
    @Inject
    InFlightWork work;

    /**
     * What to list.
     *
     * @param status      null for every status
     * @param agentId     null for every agent
     * @param sinceMillis only traces active at or after this instant (epoch ms); {@code Long.MIN_VALUE} for all
     * @param cursor      continue after this trace; null to start from the newest
     * @param tracePrefixes only traces whose id starts with one of these (a key's prefixes); empty for all
     */
    public record Query(TraceStatus status, String agentId, long sinceMillis, TraceActivity cursor, int limit,
                        int maxScanned, List<String> tracePrefixes) {

        public Query {
            tracePrefixes = List.copyOf(tracePrefixes);
        }

        /** Every trace the other parameters select. */
        public Query(TraceStatus status, String agentId, long sinceMillis, TraceActivity cursor, int limit, int maxScanned) {
            this(status, agentId, sinceMillis, cursor, limit, maxScanned, List.of());
        }

        /** Whether the trace is within the prefixes; decided from its id alone, before its summary is read. */
        boolean covers(String traceId) {
            return tracePrefixes.isEmpty() || tracePrefixes.stream().anyMatch(traceId::startsWith);
        }
    }

    /** @param next where the next page starts; null when there is none */
    public record Page(List<TraceSummary> traces, TraceActivity next) {}

    /** One unit of work for the watchdog, the summaries it folds included. */
    public Page find(Query query) {
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.READ)) {
            return scan(query);
        }
    }

    private Page scan(Query query) {
        List<TraceSummary> found = new ArrayList<>();
        TraceActivity position = query.cursor();
        int scanned = 0;
        boolean more = true;
        while (found.size() < query.limit() && scanned < query.maxScanned() && more) {
            List<TraceActivity> candidates = store.recentTraces(position, query.limit());
            more = candidates.size() == query.limit();
            for (TraceActivity candidate : candidates) {
                if (candidate.lastEventMillis() < query.sinceMillis()) {
                    more = false;
                    break;
                }
                position = candidate;
                scanned++;
                if (!query.covers(candidate.traceId())) {
                    continue;
                }
                summaries.summary(candidate.traceId())
                        .filter(s -> matches(s, query))
                        .ifPresent(found::add);
                if (found.size() == query.limit()) {
                    break;
                }
            }
        }
        return new Page(found, more ? position : null);
    }

    private static boolean matches(TraceSummary s, Query query) {
        return (query.status() == null || s.status() == query.status())
                && (query.agentId() == null || s.agents().stream().anyMatch(a -> a.agentId().equals(query.agentId())));
    }
}
