package io.tracestream.store.redis;

import io.tracestream.domain.TraceEventJson;
import io.tracestream.store.NewEvent;
import io.tracestream.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.redisson.api.stream.StreamMessageId;

/**
 * The one codec of a stored event in Redis: what {@code append.lua} is given for each event, and
 * the two entries it writes, read back. A trace's history entry holds {@code type}, {@code agent},
 * {@code prev} and {@code json} (its id is the entry id); the fan-out entry holds the same, plus
 * the trace, in one field {@code e} of newline-separated lines (see {@link #fromFanout}), because
 * one value costs Redis and the client a fraction of six to send and decode. The same entries are
 * what a trace's live channel carries ({@link #fromLiveMessage}).
 */
final class RedisEntries {

    static final String TYPE = "type";
    static final String AGENT = "agent";
    static final String PREVIOUS = "prev";
    static final String JSON = "json";

    static final String FANOUT_ENTRY = "e";
    /** Lines of a fan-out entry before the agent id, which may itself hold newlines and so comes last. */
    private static final int FANOUT_LINES = 5;

    /** How many script arguments each event takes (see {@link #addScriptArgs}). */
    static final int ARGS_PER_EVENT = 5;

    private RedisEntries() {}

    /** The event's arguments of the append script, in the order the script reads them. */
    static void addScriptArgs(List<Object> args, NewEvent e) {
        args.add(e.eventId() == null ? "" : e.eventId());
        args.add(e.eventType());
        args.add(e.agentId());
        args.add(e.json());
        args.add(e.content() == null ? "" : e.content());
    }

    /** An entry of a trace's history stream. */
    static StoredEvent fromHistory(String traceId, String id, Map<String, String> fields) {
        return stored(id, fields.get(PREVIOUS), traceId, fields.get(TYPE), fields.get(AGENT), fields.get(JSON));
    }

    /**
     * An entry of the fan-out stream, {@code e} = trace id, previous id, id, type and JSON, each
     * ended by a newline, then the agent id; null for an entry that is not one of ours.
     */
    static StoredEvent fromFanout(Map<String, String> fields) {
        String entry = fields.get(FANOUT_ENTRY);
        return entry == null ? null : fromFanoutEntry(entry);
    }

    /**
     * A message of a trace's live channel: the fan-out entries of one append, each after its
     * length in UTF-8 bytes and a newline (see {@code append.lua}). What does not parse is not one
     * of ours, and ends the message.
     */
    static List<StoredEvent> fromLiveMessage(byte[] message) {
        List<StoredEvent> out = new ArrayList<>();
        int at = 0;
        try {
            while (at < message.length) {
                int newline = at;
                while (message[newline] != '\n') {
                    newline++;
                }
                int length = Integer.parseInt(new String(message, at, newline - at, StandardCharsets.US_ASCII));
                StoredEvent event = fromFanoutEntry(new String(message, newline + 1, length, StandardCharsets.UTF_8));
                if (event == null) {
                    break;
                }
                out.add(event);
                at = newline + 1 + length;
            }
        } catch (RuntimeException e) { // a length that is no number, or runs past the end
            // keep what parsed
        }
        return out;
    }

    private static StoredEvent fromFanoutEntry(String entry) {
        String[] lines = new String[FANOUT_LINES];
        int from = 0;
        for (int i = 0; i < FANOUT_LINES; i++) {
            int end = entry.indexOf('\n', from);
            if (end < 0) {
                return null;
            }
            lines[i] = entry.substring(from, end);
            from = end + 1;
        }
        return stored(lines[2], lines[1], lines[0], lines[3], entry.substring(from), lines[4]);
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
