package io.tracestream.store;

/** A trace and when it last received an event (epoch ms): a position in the list of traces. */
public record TraceActivity(String traceId, long lastEventMillis) {

    /** True when this trace comes after {@code cursor} in newest-first order. */
    public boolean isAfter(TraceActivity cursor) {
        return cursor == null || lastEventMillis < cursor.lastEventMillis()
                || (lastEventMillis == cursor.lastEventMillis() && traceId.compareTo(cursor.traceId()) < 0);
    }
}
