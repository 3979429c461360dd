package io.tracestream.store.redis;

import io.tracestream.domain.TraceEventJson;
import io.tracestream.store.NewEvent;
import io.tracestream.store.StoredEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.redisson.api.stream.StreamMessageId;

/**
 * The one codec of a stored event in Redis: what {@code append.lua} is given for each event, and
 * the two entries it writes, read back. A trace's history entry holds {@code type}, {@code agent},
 * {@code prev} and {@code json} (its id is the entry id); the fan-out entry holds the same under
 * one-letter names ({@code y}, {@code a}, {@code p}, {@code d}) plus the trace {@code t} and the
 * history id {@code i}, because the fan-out stream holds every trace's events and is kept short.
 */
final class RedisEntries {

    static final String TYPE = "type";
    static final String AGENT = "agent";
    static final String PREVIOUS = "prev";
    static final String JSON = "json";

    static final String FANOUT_TRACE = "t";
    static final String FANOUT_ID = "i";
    static final String FANOUT_PREVIOUS = "p";
    static final String FANOUT_TYPE = "y";
    static final String FANOUT_AGENT = "a";
    static final String FANOUT_JSON = "d";

    /** How many script arguments each event takes (see {@link #addScriptArgs}). */
    static final int ARGS_PER_EVENT = 4;

    private RedisEntries() {}

    /** The event's arguments of the append script, in the order the script reads them. */
    static void addScriptArgs(List<Object> args, NewEvent e) {
        args.add(e.eventId() == null ? "" : e.eventId());
        args.add(e.eventType());
        args.add(e.agentId());
        args.add(e.json());
    }

    /** An entry of a trace's history stream. */
    static StoredEvent fromHistory(String traceId, String id, Map<String, String> fields) {
        return stored(id, fields.get(PREVIOUS), traceId, fields.get(TYPE), fields.get(AGENT), fields.get(JSON));
    }

    /** An entry of the fan-out stream; null for an entry that is not one of ours. */
    static StoredEvent fromFanout(Map<String, String> fields) {
        String traceId = fields.get(FANOUT_TRACE);
        String id = fields.get(FANOUT_ID);
        if (traceId == null || id == null) {
            return null;
        }
        return stored(id, fields.get(FANOUT_PREVIOUS), traceId, fields.get(FANOUT_TYPE), fields.get(FANOUT_AGENT),
                fields.get(FANOUT_JSON));
    }

    /** Entries as Redis ordered them: Redisson hands them over in a map. */
    static <V> List<Map.Entry<StreamMessageId, V>> inIdOrder(Map<StreamMessageId, V> entries) {
        List<Map.Entry<StreamMessageId, V>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<StreamMessageId, V> e) -> e.getKey().getId0())
                .thenComparing(e -> e.getKey().getId1()));
        return sorted;
    }

    private static StoredEvent stored(String id, String previous, String traceId, String type, String agent,
                                      String json) {
        return new StoredEvent(id, previous == null || previous.isEmpty() ? null : previous, traceId, type, agent,
                TraceEventJson.withId(id, json));
    }
}
