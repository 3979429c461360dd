package io.tracestream.api;

import io.tracestream.domain.FieldError;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.TraceId;
import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ingest body, one event or an array of them, into events ready to store: each with its
 * trace id and a timestamp. Checks everything before anything is stored, so a batch is stored
 * whole or not at all.
 */
final class EventBodyReader {

    private final int maxBytes;
    private final int maxBatch;
    private final Clock clock;

    EventBodyReader(int maxBytes, int maxBatch, Clock clock) {
        this.maxBytes = maxBytes;
        this.maxBatch = maxBatch;
        this.clock = clock;
    }

    /**
     * @param traceId the trace the events belong to, or {@code null} to take it from the first
     *                event (the caller mints one when no event names it)
     * @throws InvalidEventsException naming every field that was wrong
     */
    Batch read(InputStream body, String traceId) {
        JsonValue json = parse(body);
        List<JsonValue> items;
        if (json.getValueType() == JsonValue.ValueType.ARRAY) {
            JsonArray array = json.asJsonArray();
            if (array.isEmpty()) {
                throw new InvalidEventsException("$", "must hold at least one event");
            }
            if (array.size() > maxBatch) {
                throw new TooLargeException("$", "holds " + array.size() + " events; at most " + maxBatch + " per request");
            }
            items = array;
        } else {
            items = List.of(json);
        }
        boolean single = json.getValueType() != JsonValue.ValueType.ARRAY;
        List<FieldError> errors = new ArrayList<>();
        List<TraceEvent> events = new ArrayList<>(items.size());
        String batchTraceId = traceId;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < items.size(); i++) {
            String path = single ? "" : "[" + i + "]";
            int before = errors.size();
            TraceEvent e = TraceEventJson.read(items.get(i), path, errors);
            if (errors.size() > before) {
                continue;
            }
            if (e.traceId() != null) {
                if (batchTraceId == null) {
                    batchTraceId = e.traceId();
                } else if (!batchTraceId.equals(e.traceId())) {
                    errors.add(new FieldError(path.isEmpty() ? "trace_id" : path + ".trace_id",
                            "is " + e.traceId() + " but the request is for trace " + batchTraceId));
                    continue;
                }
            }
            events.add(e.timestamp() == null ? e.withTimestamp(now) : e);
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventsException(errors);
        }
        String finalTraceId = batchTraceId == null ? TraceId.mint() : batchTraceId;
        return new Batch(finalTraceId, events.stream().map(e -> e.withTraceId(finalTraceId)).toList());
    }

    /** Events of one trace, validated, each with trace id and timestamp set. */
    record Batch(String traceId, List<TraceEvent> events) {}

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

    private TooLargeException tooLarge() {
        return new TooLargeException("$", "body is larger than " + maxBytes + " bytes; send smaller batches");
    }

    /** A body or batch over the configured limits: invalid, and counted apart in the metrics. */
    static final class TooLargeException extends InvalidEventsException {
        TooLargeException(String field, String message) {
            super(field, message);
        }
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
