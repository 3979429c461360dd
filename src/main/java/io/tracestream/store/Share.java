package io.tracestream.store;

/** Which live events a {@link LiveListener} receives. */
public enum Share {
    /** The events of the traces this instance watches ({@link EventStore#watch}): what its clients stream. */
    WATCHED_TRACES,
    /**
     * This instance's part of the events, each event going to exactly one instance: work done once
     * per event across instances (workflow metrics). Each trace's part arrives in order, and a dead
     * instance's part is taken over by the others.
     */
    ONCE_PER_EVENT
}
