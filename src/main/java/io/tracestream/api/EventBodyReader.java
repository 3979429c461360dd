package io.tracestream.api;

import io.tracestream.domain.EventsTooLargeException;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.InvalidEventsException;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON API's ingest body, one event or an array of them, read into events for the ingest
 * service. Checks every field and the request's limits before anything is stored, so a batch is
 * stored whole or not at all.
 */
final class EventBodyReader {

    private final int maxBytes;
    private final int maxBatch;

    EventBodyReader(int maxBytes, int maxBatch) {
        this.maxBytes = maxBytes;
        this.maxBatch = maxBatch;
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
        try (JsonReader reader = JsonFactories.reader(new LimitedInputStream(body, maxBytes))) {
            return reader.readValue();
        } catch (JsonParsingException e) {
            if (e.getCause() instanceof BodyTooLarge) {
                throw tooLarge();
            }
            throw new InvalidEventsException("$", "malformed JSON at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber() + ": " + e.getMessage());
        } catch (JsonException e) {
            if (e.getCause() instanceof BodyTooLarge) {
                throw tooLarge();
            }
            throw new InvalidEventsException("$", "malformed JSON: " + e.getMessage());
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
