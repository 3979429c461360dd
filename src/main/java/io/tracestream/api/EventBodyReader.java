package io.tracestream.api;

import io.tracestream.domain.EventsTooLargeException;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.JsonNestingLimit;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.JsonFactories;
import io.tracestream.ingest.EventIngest;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON API's ingest body, one event or an array of them, read into events for the ingest
 * service. Checks every field and the request's limits before anything is stored, so a batch is
 * stored whole or not at all.
 *
 * <p>The body is read as strict UTF-8 (a leading byte order mark skipped), as RFC 8259 asks of JSON
 * exchanged between systems: left to guess, JSON-P reads malformed bytes as U+FFFD and the events
 * would be stored with text the producer never sent. Nesting is capped before the parser recurses
 * ({@link JsonNestingLimit}); an event needs two levels, a batch three.
 */
final class EventBodyReader {

    /** The setting that bounds nesting, named in the answer so an operator knows what to raise. */
    static final String MAX_DEPTH_SETTING = "tracestream.ingest.max-json-depth";
    private static final int UTF8_BOM_LENGTH = 3;

    private final int maxBytes;
    private final int maxBatch;
    private final int maxDepth;

    EventBodyReader(int maxBytes, int maxBatch, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxBatch = maxBatch;
        this.maxDepth = maxDepth;
    }

    /**
     * @throws InvalidEventsException naming every field that was wrong
     * @throws EventsTooLargeException when the body or the batch is over its limit
     */
    EventIngest.Submission read(InputStream body) {
        JsonValue json = parse(body);
        List<JsonValue> items;
        if (json.getValueType() == JsonValue.ValueType.ARRAY) {
            JsonArray array = json.asJsonArray();
            if (array.isEmpty()) {
                throw new InvalidEventsException("$", "must hold at least one event");
            }
            if (array.size() > maxBatch) {
                throw new EventsTooLargeException("$", "holds " + array.size() + " events; at most " + maxBatch + " per request");
            }
            items = array;
        } else {
            items = List.of(json);
        }
        boolean single = json.getValueType() != JsonValue.ValueType.ARRAY;
        List<FieldError> errors = new ArrayList<>();
        List<TraceEvent> events = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            events.add(TraceEventJson.read(items.get(i), single ? "" : "[" + i + "]", errors));
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventsException(errors);
        }
        return new EventIngest.Submission(events, single);
    }

    private JsonValue parse(InputStream body) {
        try (JsonReader reader = JsonFactories.reader(text(body))) {
            return reader.readValue();
        } catch (JsonParsingException e) {
            rethrowLimit(e);
            throw new InvalidEventsException("$", "malformed JSON at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber() + ": " + e.getMessage());
        } catch (JsonException e) {
            rethrowLimit(e);
            if (e.getCause() instanceof CharacterCodingException) {
                throw new InvalidEventsException("$", "the body is not UTF-8 text");
            }
            throw new InvalidEventsException("$", "malformed JSON: " + e.getMessage());
        } catch (IllegalStateException | java.util.NoSuchElementException e) {
            // A document that ends before it is complete (an empty body, say).
            throw new InvalidEventsException("$", "malformed JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            // The JSON-P implementation's own limits and whatever else it throws on hostile input
            // (Parsson: UnsupportedOperationException for a number of over 1,100 digits, a bare
            // RuntimeException past its own depth limit): the body's fault, never a server error.
            throw new InvalidEventsException("$", "unreadable JSON: " + e.getMessage());
        }
    }

    /** The body as UTF-8 text, checked for size and nesting as it is read. */
    private Reader text(InputStream body) {
        try {
            PushbackInputStream in = new PushbackInputStream(new LimitedInputStream(body, maxBytes), UTF8_BOM_LENGTH);
            byte[] head = in.readNBytes(UTF8_BOM_LENGTH);
            boolean bom = head.length == UTF8_BOM_LENGTH && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB
                    && head[2] == (byte) 0xBF;
            if (!bom) {
                in.unread(head);
            }
            // A new decoder reports malformed input instead of replacing it.
            return new JsonNestingLimit(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()), maxDepth);
        } catch (BodyTooLarge e) {
            throw tooLarge();
        } catch (IOException e) {
            throw new InvalidEventsException("$", "the body could not be read: " + e.getMessage());
        }
    }

    private void rethrowLimit(JsonException e) {
        if (e.getCause() instanceof BodyTooLarge) {
            throw tooLarge();
        }
        if (e.getCause() instanceof JsonNestingLimit.TooDeep deep) {
            throw new EventsTooLargeException("$", "JSON nested deeper than " + deep.maxDepth() + " levels ("
                    + MAX_DEPTH_SETTING + "); an event needs 2, a batch 3");
        }
    }

    private EventsTooLargeException tooLarge() {
        return new EventsTooLargeException("$", "body is larger than " + maxBytes + " bytes; send smaller batches");
    }

    private static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("body too large", null);
        }
    }

    /** Fails the read once more than {@code max} bytes arrive, so an oversized body is not buffered. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long max;
        private long count;

        LimitedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            count += n;
            if (count > max) {
                throw new BodyTooLarge();
            }
        }
    }

}
