package io.tracestream.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Java span processor docs/otlp-mapping.md offers is the one {@link PendingSpansIT} runs against the server. */
class DocumentedPendingSpanProcessorTest {

    static final Path DOC = Path.of("docs/otlp-mapping.md");
    static final Path PROCESSOR = Path.of("src/test/java/io/tracestream/ingest/PendingSpanProcessor.java");

    @Test
    void theReadmeShowsTheJavaPendingSpanProcessorThatTheIntegrationTestRuns() throws IOException {
        String source = Files.readString(PROCESSOR);
        String shown = source.substring(source.indexOf("/**")); // the docs leave out the package and imports

        assertTrue(Files.readString(DOC).contains(shown),
                "docs/otlp-mapping.md's \"Span processors that send them\" must show " + PROCESSOR + " from its Javadoc on, as it is");
    }
}
