package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.config.TraceStreamConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The switch between JSON lines on standard output and the server's own (plain) format. */
class LogSetupTest {

    private final Logger root = Logger.getLogger(LogSetup.ROOT_LOGGER);
    private final Logger server = Logger.getLogger("");
    private final Logger runtimeStatus = Logger.getLogger(LogSetup.RUNTIME_STATUS_LOGGER);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
    /** Stands for the server's console handler, in the server's own format (Payara's ODL format in Payara). */
    private final StreamHandler serverConsole = new StreamHandler(serverOut, new ServerTextFormat());
    private final Formatter serverFormat = serverConsole.getFormatter();
    private PrintStream originalOut;
    private LogSetup setup;
    private List<Handler> handlersBefore;

    @BeforeEach
    void captureStandardOutput() {
        handlersBefore = Arrays.asList(root.getHandlers());
        server.addHandler(serverConsole);
        runtimeStatus.setLevel(Level.WARNING); // as the runtime's logging.properties has it during boot
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        if (setup != null) {
            setup.restore();
        }
        System.setOut(originalOut);
        server.removeHandler(serverConsole);
        runtimeStatus.setLevel(null);
    }

    private String serverText() {
        serverConsole.flush();
        return serverOut.toString(StandardCharsets.UTF_8);
    }

    /** Stands for Payara's text format, which Payara's classes are not here to provide. */
    static final class ServerTextFormat extends SimpleFormatter {}

    private LogSetup start(String format) {
        setup = new LogSetup();
        setup.serverTextFormats = java.util.Set.of(ServerTextFormat.class.getName());
        setup.config = new TraceStreamConfig() {
            @Override
            public String logFormat() {
                return format;
            }

            @Override
            public String instanceName() {
                return "node-7";
            }
        };
        setup.onStartup(new Object());
        return setup;
    }

    @Test
    void jsonWritesOneObjectPerLineToStandardOutputInsteadOfTheServersHandlers() {
        start("json");
        assertFalse(root.getUseParentHandlers(), "the server's handlers no longer get our lines");
        List<Handler> added = Arrays.stream(root.getHandlers()).filter(h -> !handlersBefore.contains(h)).toList();
        assertEquals(1, added.size());
        assertTrue(added.get(0).getFormatter() instanceof JsonLogFormatter);

        Logger.getLogger("io.tracestream.http.JsonEventsEndpoint").warning("Answering 503: store down");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        JsonObject line = Json.createReader(new StringReader(text)).readObject();
        assertEquals("WARNING", line.getString("level"));
        assertEquals("io.tracestream.http.JsonEventsEndpoint", line.getString("logger"));
        assertEquals("Answering 503: store down", line.getString("message"));
        assertEquals("node-7", line.getString("instance"));

        setup.restore();
        setup = null;
        assertTrue(root.getUseParentHandlers());
        assertEquals(handlersBefore, Arrays.asList(root.getHandlers()), "undeploying removes the JSON handler");
    }

    @Test
    void jsonFormatsTheServersOwnRecordsAsJsonLinesUntilUndeployed() {
        start("json");
        Logger.getLogger("javax.enterprise.system.core").warning("Payara says\nsomething");
        JsonObject line = Json.createReader(new StringReader(serverText())).readObject();
        assertEquals("javax.enterprise.system.core", line.getString("logger"));
        assertEquals("Payara says\nsomething", line.getString("message"));
        assertEquals("node-7", line.getString("instance"));
        assertTrue(serverText().endsWith("}\n") && serverText().indexOf('\n') == serverText().length() - 1,
                "one line: " + serverText());

        setup.restore();
        setup = null;
        assertSame(serverFormat, serverConsole.getFormatter(), "the server's formatter is back after undeployment");
    }

    @Test
    void jsonLeavesAConsoleFormatOtherThanTheServersOwnAsConfigured() {
        Formatter chosen = new SimpleFormatter();
        serverConsole.setFormatter(chosen);
        start("json");
        assertSame(chosen, serverConsole.getFormatter(), "an operator's own format stays");
        Logger.getLogger("javax.enterprise.system.core").warning("Payara says");
        assertTrue(serverText().contains("WARNING: Payara says"), serverText());
    }

    @Test
    void payarasFinalStatusPrintsOnceTheApplicationIsDeployedInEitherFormat() {
        for (String format : List.of("json", "plain")) {
            assertFalse(runtimeStatus.isLoggable(Level.INFO), "quiet during boot");
            start(format);
            assertTrue(runtimeStatus.isLoggable(Level.INFO), format + ": the version, port and ready lines print");
            setup.restore();
            setup = null;
            assertEquals(Level.WARNING, runtimeStatus.getLevel(), format + ": undeploying puts the level back");
        }
    }

    @Test
    void plainLeavesOurLinesToTheServersFormat() {
        start("plain");
        assertTrue(root.getUseParentHandlers(), "lines go on to the server's handlers");
        assertEquals(handlersBefore, Arrays.asList(root.getHandlers()), "no handler of ours");
        assertSame(serverFormat, serverConsole.getFormatter(), "the server's format is left alone");
        Logger.getLogger("io.tracestream.http.JsonEventsEndpoint").warning("a plain line");
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing written as JSON to standard output");
        assertTrue(serverText().contains("WARNING: a plain line"), serverText());
    }

    @Test
    void theFormatNameIsCaseInsensitive() {
        start("JSON");
        assertFalse(root.getUseParentHandlers());
    }
}
