package io.tracestream.domain.summary;

import java.time.Instant;

/**
 * Something one agent did towards another, in trace order: what a sequence diagram draws.
 *
 * @param from the acting agent; for a note, the agent the note is about
 * @param to   the receiving agent; {@code null} for a note
 * @param text what the producer said about it (a message, a task, an error); may be anything
 *             a producer sent, so it must be escaped before it is drawn
 * @param plumbing true when it comes from a framework's own step ({@link Step#plumbing()}): drawn
 *             only when the diagram unfolds them
 */
public record Interaction(Kind kind, String from, String to, String text, Instant at, boolean plumbing) {

    public Interaction(Kind kind, String from, String to, String text, Instant at) {
        this(kind, from, to, text, at, false);
    }

    public enum Kind {
        /** {@code agent_called}: from asks to to do something. */
        CALL,
        /** {@code agent_transition}: from hands the work over to to. */
        HANDOFF,
        /** {@code message}: from tells to something. */
        MESSAGE,
        /** A called agent finished its task: the reply goes back to its caller. */
        RETURN,
        /** A called agent's task failed: the failure goes back to its caller. */
        FAILED_RETURN,
        /** Something failed (a step, a call, the workflow): drawn as a note on from. */
        FAILURE_NOTE,
        /** Anything else worth showing on from's lifeline, such as a message with no recipient. */
        NOTE
    }
}
