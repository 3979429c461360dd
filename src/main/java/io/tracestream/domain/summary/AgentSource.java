package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent;
import java.util.Locale;
import java.util.Optional;

/**
 * How the agent of an event that came from an OpenTelemetry span was found, as the span mapper
 * records it in {@code attributes.agent_source}. Events our own producers send carry no such
 * attribute: their {@code agent_id} is always the agent that reported them.
 */
enum AgentSource {
    /** The span named its agent. */
    SPAN,
    /** The agent of the span's nearest agent ancestor, which came in the same export. */
    ANCESTOR,
    /**
     * The nearest agent ancestor was not in the same export, so {@code agent_id} is the
     * service's name standing in for it until the ancestor is known.
     */
    SERVICE;

    static final String ATTRIBUTE = "agent_source";

    /** Empty for an event that did not come from a span, or names a source we do not know. */
    static Optional<AgentSource> of(TraceEvent e) {
        Object value = e.attributes().get(ATTRIBUTE);
        if (value == null) {
            return Optional.empty();
        }
        for (AgentSource source : values()) {
            if (source.name().equals(value.toString().toUpperCase(Locale.ROOT))) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    static boolean isStandIn(TraceEvent e) {
        return of(e).orElse(null) == SERVICE;
    }
}
