package io.tracestream.domain.summary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trace's interactions as a Mermaid {@code sequenceDiagram}: calls ({@code ->>}), hand-offs
 * ({@code -)}), messages ({@code ->>}), replies ({@code -->>}), failed replies ({@code --x}) and a
 * note on the agent for every failure, in trace order.
 *
 * <p>Participants get ids of their own ({@code a1}, {@code a2}, ... in the order agents were
 * first seen) and their agent id as display name, so no agent id is ever Mermaid syntax; every
 * piece of producer text goes through {@link MermaidText}.
 */
public final class SequenceDiagram {

    /** Longest agent name shown; longer ones are cut with an ellipsis. */
    public static final int MAX_NAME_LENGTH = 40;
    /** Longest message, note or error shown: a diagram is an overview, the events have the rest. */
    public static final int MAX_TEXT_LENGTH = 80;
    static final String INDENT = "    ";
    static final String PARTICIPANT_ID_PREFIX = "a";
    static final String HANDOFF_PREFIX = "hand-off: ";

    private SequenceDiagram() {}

    /** The diagram with frameworks' own steps folded. */
    public static String render(TraceSummary summary) {
        return render(summary, false);
    }

    /** @param unfold also draw what frameworks' own steps did ({@link Interaction#plumbing()}) */
    public static String render(TraceSummary summary, boolean unfold) {
        StringBuilder out = new StringBuilder("sequenceDiagram\n");
        Map<String, String> ids = new LinkedHashMap<>();
        summary.agents().forEach(agent -> declare(out, ids, agent.agentId()));
        for (Interaction i : summary.interactions()) {
            if (i.plumbing() && !unfold) {
                continue;
            }
            // Every agent an interaction names is a summary agent; declaring here is a safety net.
            String from = declare(out, ids, i.from());
            String text = MermaidText.encode(textOf(i), MAX_TEXT_LENGTH);
            if (i.to() == null) {
                out.append(INDENT).append("Note over ").append(from).append(": ").append(text).append('\n');
            } else {
                String to = declare(out, ids, i.to());
                out.append(INDENT).append(from).append(arrowOf(i.kind())).append(to).append(": ").append(text)
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String declare(StringBuilder out, Map<String, String> ids, String agentId) {
        return ids.computeIfAbsent(agentId, id -> {
            String participant = PARTICIPANT_ID_PREFIX + (ids.size() + 1);
            out.append(INDENT).append("participant ").append(participant).append(" as ")
                    .append(MermaidText.name(id, MAX_NAME_LENGTH)).append('\n');
            return participant;
        });
    }

    private static String textOf(Interaction i) {
        return i.kind() == Interaction.Kind.HANDOFF ? HANDOFF_PREFIX + i.text() : i.text();
    }

    private static String arrowOf(Interaction.Kind kind) {
        return switch (kind) {
            case CALL, MESSAGE -> "->>";
            case HANDOFF -> "-)";
            case RETURN -> "-->>";
            case FAILED_RETURN -> "--x";
            case FAILURE_NOTE, NOTE -> throw new IllegalArgumentException(kind + " is drawn as a note");
        };
    }
}
