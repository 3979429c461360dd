package io.tracestream.ingest.json;

import io.tracestream.domain.EventsTooLargeException;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.JsonNestingLimit;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.JsonFactories;
import io.tracestream.ingest.EventIngest;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
public final class EventBodyReader {

    /** The setting that bounds nesting, named in the answer so an operator knows what to raise. */
    static final String MAX_DEPTH_SETTING = "tracestream.ingest.max-json-depth";
    private static final int UTF8_BOM_LENGTH = 3;
    private static final JsonParserFactory PARSERS = JsonFactories.provider().createParserFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = JsonFactories.provider().createBuilderFactory(Map.of());

    private final int maxBytes;
    private final int maxBatch;
    private final int maxDepth;

    public EventBodyReader(int maxBytes, int maxBatch, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxBatch = maxBatch;
        this.maxDepth = maxDepth;
    }

    /**
     * @throws InvalidEventsException naming every field that was wrong
     * @throws EventsTooLargeException when the body or the batch is over its limit
     */
    public EventIngest.Submission read(InputStream body) {
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
            events.add(ApiContent.mapped(TraceEventJson.read(items.get(i), single ? "" : "[" + i + "]", errors)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventsException(errors);
        }
        return new EventIngest.Submission(events, single);
    }

    private JsonValue parse(InputStream body) {
        try (JsonParser parser = PARSERS.createParser(text(body))) {
            parser.next();
            JsonValue document = value(parser);
            refuseContentAfter(parser);
            return document;
        } catch (DuplicateMember e) {
            throw new InvalidEventsException(e.field(), "appears twice in the same object");
        } catch (InvalidEventsException e) {
            throw e;
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

    /**
     * The value the parser is at, built as JSON-P's own reader builds it, but refusing a member
     * name that appears twice in one object: JSON-P keeps one of the two without a word, so the
     * event stored would not be the one (or two) the producer meant.
     */
    private static JsonValue value(JsonParser parser) {
        return switch (parser.currentEvent()) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            default -> parser.getValue();
        };
    }

    private static JsonObject object(JsonParser parser) {
        JsonObjectBuilder members = BUILDERS.createObjectBuilder();
        Set<String> names = new HashSet<>();
        while (parser.next() == JsonParser.Event.KEY_NAME) {
            String name = parser.getString();
            if (!names.add(name)) {
                throw new DuplicateMember(name);
            }
            parser.next();
            try {
                members.add(name, value(parser));
            } catch (DuplicateMember inner) {
                throw inner.within(name);
            }
        }
        return members.build();
    }

    private static JsonArray array(JsonParser parser) {
        JsonArrayBuilder items = BUILDERS.createArrayBuilder();
        for (int i = 0; parser.next() != JsonParser.Event.END_ARRAY; i++) {
            try {
                items.add(value(parser));
            } catch (DuplicateMember inner) {
                throw inner.within(i);
            }
        }
        return items.build();
    }

    /**
     * One document per body: a second one, or anything else but whitespace after the first, would
     * otherwise be dropped unread while the first is stored.
     */
    private static void refuseContentAfter(JsonParser parser) {
        JsonLocation end = parser.getLocation();
        boolean more;
        try {
            more = parser.hasNext();
        } catch (JsonParsingException e) {
            // Parsson's way of saying so: a token other than the end of the input is an error there.
            more = true;
        }
        if (more) {
            // The location is that of the next character: the document's last one is just before it.
            throw new InvalidEventsException("$", "unexpected content after the JSON document, which ends at line "
                    + end.getLineNumber() + ", column " + (end.getColumnNumber() - 1) + ": send one event or one array of events");
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

    /** A member name seen twice in one object; the path to it is added on the way out of the recursion. */
    private static final class DuplicateMember extends RuntimeException {
        /** Member names and array indexes, outermost first. */
        private final Deque<Object> path = new ArrayDeque<>();

        DuplicateMember(String name) {
            super(null, null, false, false);
            path.push(name);
        }

        DuplicateMember within(Object step) {
            path.push(step);
            return this;
        }

        /** The path as {@link FieldError} names fields: {@code [2].attributes.k}, {@code error.type}. */
        String field() {
            StringBuilder field = new StringBuilder();
            for (Object step : path) {
                if (step instanceof Integer index) {
                    field.append('[').append(index).append(']');
                } else {
                    field.append(field.length() == 0 ? "" : ".").append(step);
                }
            }
            return field.toString();
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
