package io.tracestream.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Java span processor the README offers is the one {@link PendingSpansIT} runs against the server. */
class ReadmePendingSpanProcessorTest {

    static final Path README = Path.of("README.md");
    static final Path PROCESSOR = Path.of("src/test/java/io/tracestream/ingest/PendingSpanProcessor.java");

    @Test
    void theReadmeShowsTheJavaPendingSpanProcessorThatTheIntegrationTestRuns() throws IOException {
        String source = Files.readString(PROCESSOR);
        String shown = source.substring(source.indexOf("/**")); // the README leaves out the package and imports

        assertTrue(Files.readString(README).contains(shown),
                "README.md's \"See a step while it runs\" must show " + PROCESSOR + " from its Javadoc on, as it is");
    }
}
