package io.tracestream.store;

/** Which live events a {@link LiveListener} receives. */
public enum Share {
    /** Every event stored by any instance: what this instance's clients watch. */
    EVERY_EVENT,
    /**
     * This instance's part of the events, each event going to exactly one instance: work done once
     * per event across instances (workflow metrics). Each trace's part arrives in order, and a dead
     * instance's part is taken over by the others.
     */
    ONCE_PER_EVENT
}
