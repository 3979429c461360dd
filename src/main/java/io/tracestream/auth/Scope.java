package io.tracestream.auth;

/** What a key lets its holder do. */
public enum Scope {
    /** Send events: the JSON API and OTLP. */
    INGEST,
    /** Read traces: lists, summaries, streams, diagrams and the dashboard. */
    READ,
    /** Run the demo and other actions that change the server rather than a trace. */
    ADMIN;

    /** The scope as written in a key's configuration ({@code "ingest"}). */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
