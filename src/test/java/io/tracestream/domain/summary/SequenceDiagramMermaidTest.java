package io.tracestream.domain.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the real Mermaid parser (the {@code mermaid} npm package under Node) on the fixture's
 * diagram and on one full of hostile names, and checks that Mermaid understood exactly the
 * participants and texts intended: a parse that "works" by reading text as syntax fails here.
 * Needs Node 20+ and {@code npm ci --prefix src/test/mermaid}; fails, not skips, without them.
 */
class SequenceDiagramMermaidTest {

    private static final Path CHECKER_DIR = Path.of("src", "test", "mermaid");
    private static final Path CHECKER = CHECKER_DIR.resolve("check-diagrams.mjs");
    private static final Path MERMAID_PACKAGE = CHECKER_DIR.resolve("node_modules").resolve("mermaid");
    private static final Path OUTPUT_DIR = Path.of("target", "mermaid-check");
    private static final long NODE_TIMEOUT_SECONDS = 120;
    private static final String SETUP_HINT = "run `npm ci --prefix src/test/mermaid` (Node 20+ and npm must be installed)";

    /** Mermaid's names for the arrows {@link SequenceDiagram} draws. */
    private static final Map<Interaction.Kind, String> MERMAID_LINE_TYPES = Map.of(
            Interaction.Kind.CALL, "SOLID", Interaction.Kind.MESSAGE, "SOLID",
            Interaction.Kind.HANDOFF, "SOLID_POINT", Interaction.Kind.RETURN, "DOTTED",
            Interaction.Kind.FAILED_RETURN, "DOTTED_CROSS", Interaction.Kind.FAILURE_NOTE, "NOTE",
            Interaction.Kind.NOTE, "NOTE");

    @Test
    void fixtureAndHostileDiagramsParseWithTheRealMermaidAsIntended() throws Exception {
        if (!Files.isDirectory(MERMAID_PACKAGE)) {
            fail("The mermaid npm package is missing at " + MERMAID_PACKAGE.toAbsolutePath() + ": " + SETUP_HINT);
        }
        Files.createDirectories(OUTPUT_DIR);
        Map<Path, TraceSummary> diagrams = Map.of(
                OUTPUT_DIR.resolve("code-analysis-demo.mmd"), CodeAnalysisFixture.summary(),
                OUTPUT_DIR.resolve("hostile-names.mmd"), HostileTrace.summary());
        List<String> command = new ArrayList<>(List.of("node", CHECKER.toString()));
        for (Map.Entry<Path, TraceSummary> d : diagrams.entrySet()) {
            Files.writeString(d.getKey(), SequenceDiagram.render(d.getValue()), StandardCharsets.UTF_8);
            command.add(d.getKey().toString());
        }

        List<String> parsed = runNode(command);

        assertEquals(diagrams.size(), parsed.size(), "one line per diagram: " + parsed);
        for (String line : parsed) {
            JsonObject result;
            try (JsonReader reader = Json.createReader(new StringReader(line))) {
                result = reader.readObject();
            }
            TraceSummary summary = diagrams.get(Path.of(result.getString("file")));
            assertEquals("sequence", result.getString("diagram_type"));
            assertEquals(expectedParticipants(summary), result.getJsonArray("participants").stream()
                    .map(p -> p.asJsonObject().getString("name")).toList(), result.getString("file"));
            assertEquals(expectedMessages(summary), result.getJsonArray("messages").stream()
                    .map(m -> m.asJsonObject().getString("type") + " " + m.asJsonObject().getString("text")).toList(),
                    result.getString("file"));
        }
    }

    private static List<String> runNode(List<String> command) throws IOException, InterruptedException {
        Process node;
        try {
            node = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (" + e.getMessage() + "): " + SETUP_HINT, e);
        }
        node.getOutputStream().close();
        // Small outputs: reading them after the exit cannot dead-lock on a full pipe buffer.
        if (!node.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("node did not finish within " + NODE_TIMEOUT_SECONDS + " s: " + command);
        }
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), () -> "Mermaid rejected a diagram (" + String.join(" ", command) + "):\n" + err
                + "\nIf mermaid is missing: " + SETUP_HINT);
        assertTrue(err.isBlank(), () -> "node wrote to stderr:\n" + err);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> expectedParticipants(TraceSummary summary) {
        return summary.agents().stream().map(a -> {
            String readable = MermaidText.readable(a.agentId(), SequenceDiagram.MAX_NAME_LENGTH);
            return readable.isEmpty() ? MermaidText.UNNAMED : readable;
        }).toList();
    }

    private static List<String> expectedMessages(TraceSummary summary) {
        return summary.interactions().stream().map(i -> MERMAID_LINE_TYPES.get(i.kind()) + " " + MermaidText.readable(
                (i.kind() == Interaction.Kind.HANDOFF ? SequenceDiagram.HANDOFF_PREFIX : "") + i.text(),
                SequenceDiagram.MAX_TEXT_LENGTH)).toList();
    }
}
