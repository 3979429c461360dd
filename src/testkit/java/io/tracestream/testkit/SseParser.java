package io.tracestream.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads the Server-Sent Events wire format as the standard says (fields {@code id}, {@code event},
 * {@code data}, {@code retry}; comment lines; a blank line dispatches; lines end in LF, CR or
 * CRLF), one line or a buffer of bytes at a time, so the tests, the fault harness and the benchmark
 * see exactly what the server wrote and parse it the same way. Not thread-safe: one per stream.
 */
public final class SseParser {

    /** One dispatched message; {@code event} is null for unnamed ones, {@code retry} when it came with it. */
    public record Message(String id, String event, String data, Long retry) {}

    private final Consumer<Message> messages;
    private final Consumer<String> comments;
    private final LongConsumer retries;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean afterCr;
    private String id;
    private String event;
    private Long retry;
    private StringBuilder data;

    /**
     * @param comments told each comment line's text (after the colon), e.g. heartbeats
     * @param retries  told each {@code retry:} as it is read, as the standard has a client take it
     *                 (also when no message follows)
     */
    public SseParser(Consumer<Message> messages, Consumer<String> comments, LongConsumer retries) {
        this.messages = messages;
        this.comments = comments;
        this.retries = retries;
    }

    public SseParser(Consumer<Message> messages) {
        this(messages, c -> { }, r -> { });
    }

    /** Every message in a complete piece of wire text. */
    public static List<Message> parse(String text) {
        List<Message> out = new ArrayList<>();
        SseParser parser = new SseParser(out::add);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        parser.bytes(bytes, 0, bytes.length);
        return out;
    }

    /** Feeds raw bytes as they come off the connection, in any pieces. */
    public void bytes(byte[] buffer, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                if (!afterCr) {
                    endLine();
                }
                afterCr = false;
            } else if (b == '\r') {
                endLine();
                afterCr = true;
            } else {
                afterCr = false;
                line.write(b);
            }
        }
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        line(text);
    }

    /** Feeds one line, without its line ending (as {@code BufferedReader.readLine} gives it). */
    public void line(String text) {
        if (text.isEmpty()) {
            if (data != null) {
                messages.accept(new Message(id, event, data.toString(), retry));
            }
            event = null;
            retry = null;
            data = null;
            id = null;
            return;
        }
        if (text.startsWith(":")) {
            comments.accept(text.substring(1).trim());
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "retry" -> {
                retry = Long.parseLong(value);
                retries.accept(retry);
            }
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { } // the standard ignores unknown fields
        }
    }
}
