package io.tracestream.domain.content;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEventRules;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Cuts a call's content to its size limit, never dropping the call: the longest texts are cut
 * first, all to the same length, each cut marked with how much was there; only when the messages
 * alone are over the limit (tens of thousands of them) are the oldest input messages left out,
 * the first one kept. The document then says so in {@code truncated}:
 * {@code {"original_bytes", "limit_bytes", "texts_cut", "messages_dropped"}}.
 */
final class ContentLimit {

    /** Room kept for the {@code truncated} member itself. */
    private static final int TRUNCATED_MEMBER_ROOM = 160;
    /** A cut text keeps at least this many characters, so what it was about stays readable. */
    private static final int SHORTEST_CUT = 160;
    private static final int MAX_ROUNDS = 12;

    private ContentLimit() {}

    /** The document and its size, as kept. */
    record Fitted(JsonObject document, String json, long bytes, boolean truncated) {}

    static Fitted fit(JsonObject doc, long maxBytes) {
        String json = JsonTexts.write(doc);
        long original = JsonTexts.utf8Bytes(json);
        if (original <= maxBytes) {
            return new Fitted(doc, json, original, false);
        }
        long budget = Math.max(0, maxBytes - TRUNCATED_MEMBER_ROOM);
        // Texts are always cut from the producer's, so each mark gives the real length and counts once.
        JsonObject source = doc;
        long sourceSize = original;
        int messagesDropped = 0;
        long slack = 0;
        JsonObject cut = doc;
        int textsCut = 0;
        long size = original;
        for (int round = 0; round < MAX_ROUNDS && size > budget; round++) {
            // Every character cut from the texts saves about a byte; what a round misses (marks,
            // characters of several bytes) is asked for again in the next.
            int cap = capFor(source, sourceSize - budget + slack);
            if (cap < SHORTEST_CUT) {
                JsonObject fewer = dropOldestInput(source, sourceSize - budget);
                if (fewer != source) {
                    messagesDropped += countInput(source) - countInput(fewer);
                    source = fewer;
                    sourceSize = JsonTexts.utf8Bytes(JsonTexts.write(source));
                    slack = 0;
                    cap = capFor(source, sourceSize - budget);
                }
                cap = Math.max(cap, SHORTEST_CUT);
            }
            int limit = cap;
            int[] count = {0};
            cut = (JsonObject) JsonTexts.map(source, s -> {
                if (s.length() <= limit) {
                    return s;
                }
                count[0]++;
                return TraceEventRules.cutText(s, limit);
            });
            textsCut = count[0];
            size = JsonTexts.utf8Bytes(JsonTexts.write(cut));
            slack += Math.max(0, size - budget) + 16;
        }
        JsonObjectBuilder truncated = JsonFactories.object().add("original_bytes", original).add("limit_bytes", maxBytes);
        if (textsCut > 0) {
            truncated.add("texts_cut", textsCut);
        }
        if (messagesDropped > 0) {
            truncated.add("messages_dropped", messagesDropped);
        }
        JsonObject marked = JsonFactories.object(cut).add(ContentDocument.TRUNCATED, truncated).build();
        json = JsonTexts.write(marked);
        return new Fitted(marked, json, JsonTexts.utf8Bytes(json), true);
    }

    /** The longest length to which cutting every longer text removes at least {@code excess} characters. */
    private static int capFor(JsonObject doc, long excess) {
        int low = 0;
        int high = longestText(doc);
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            long saved = JsonTexts.sum(doc, s -> s.length() > mid ? s.length() - mid : 0);
            if (saved >= excess) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private static int longestText(JsonObject doc) {
        int[] longest = {0};
        JsonTexts.sum(doc, s -> {
            longest[0] = Math.max(longest[0], s.length());
            return 0;
        });
        return longest[0];
    }

    private static int countInput(JsonObject doc) {
        JsonArray input = doc.getJsonArray(ContentDocument.INPUT);
        return input == null ? 0 : input.size();
    }

    /** The document without enough of its oldest input messages (the first kept) to save about {@code excess} bytes. */
    private static JsonObject dropOldestInput(JsonObject doc, long excess) {
        JsonArray input = doc.getJsonArray(ContentDocument.INPUT);
        if (input == null || input.size() <= 2) {
            return doc;
        }
        long perMessage = Math.max(1, JsonTexts.utf8Bytes(JsonTexts.write(JsonFactories.object().add("i", input).build())) / input.size());
        int drop = (int) Math.min(input.size() - 2, Math.max(1, excess / perMessage + 1));
        JsonArrayBuilder kept = JsonFactories.array().add(input.get(0));
        for (int i = 1 + drop; i < input.size(); i++) {
            kept.add(input.get(i));
        }
        return JsonFactories.object(doc).add(ContentDocument.INPUT, kept).build();
    }
}
