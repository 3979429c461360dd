package io.tracestream.live;

import io.tracestream.domain.EventType;
import io.tracestream.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-Sent Events already in their wire form, one or more, handed to a {@link StreamClient} as
 * one write. Why: each event is encoded once per instance ({@link #event}) and shared by all
 * subscribers of its trace, and the events waiting for one client go out together.
 */
public final class SseFrame {

    /** A comment line: keeps proxies from closing an idle stream, and finds out if the client left. */
    static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.UTF_8);

    private final List<byte[]> parts = new ArrayList<>();
    private int size;

    /** The SSE event name of a run guard's finding: {@code event: alert}. */
    public static final String ALERT_EVENT = EventType.ALERT;

    /** A stored event's block: its id, named {@value #ALERT_EVENT} for a run guard's finding, else unnamed. */
    static byte[] of(StoredEvent e) {
        return event(e.id(), nameOf(e), e.json());
    }

    /** {@value #ALERT_EVENT} for a run guard's finding; {@code null} (the default {@code message}) for the run's events. */
    static String nameOf(StoredEvent e) {
        return EventType.ALERT.equals(e.eventType()) ? ALERT_EVENT : null;
    }

    /** One event block: {@code id:} when given, {@code event:} when named, then the data lines. */
    public static byte[] event(String id, String name, String data) {
        StringBuilder out = new StringBuilder(data.length() + 48);
        if (name != null) {
            out.append("event: ").append(name).append('\n');
        }
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        // A line break inside the data would end the field: each line gets its own data: field.
        int from = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append("data: ").append(data, from, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                from = i + 1;
            }
        }
        out.append("data: ").append(data, from, data.length()).append("\n\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment block, such as the one that opens a stream. */
    static byte[] comment(String text) {
        return (": " + text.replace('\n', ' ').replace('\r', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code retry:} field, in front of the event block it rides on. */
    static byte[] retry(long millis) {
        return ("retry: " + millis + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public void add(byte[] part) {
        parts.add(part);
        size += part.length;
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** Bytes held so far. */
    int size() {
        return size;
    }

    /** The frame's bytes, in order: written one after another, they are the frame. */
    public List<byte[]> parts() {
        return parts;
    }
}
