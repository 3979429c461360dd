package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
    private static final Map<String, AgentSource> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(s -> s.name().toLowerCase(Locale.ROOT), s -> s));

    /** Empty for an event that did not come from a span, or names a source we do not know. */
    static Optional<AgentSource> of(TraceEvent e) {
        Object value = e.attributes().get(ATTRIBUTE);
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE_NAME.get(value.toString()));
    }

    /** True for an event the span mapper made, whatever source it names. */
    static boolean isFromSpan(TraceEvent e) {
        return e.attributes().containsKey(ATTRIBUTE);
    }

    static boolean isStandIn(TraceEvent e) {
        return of(e).orElse(null) == SERVICE;
    }
}
