package io.tracestream.testing;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WAR that {@code mvn package} built, as deployed by integration tests, with settings of the
 * test's own layered on top (a MicroProfile Config source of higher ordinal in a small jar), so
 * the tests exercise the real artefact.
 */
public final class TestDeployments {

    /**
     * Settings every test deployment shares: fast heartbeats so departed clients are noticed quickly,
     * and a short end grace, since these tests' producers post in order (a test of concurrent span
     * exports sets the default back: AgentFrameworksIT). The run guards are off: these tests count
     * the events they stored and read back, and a guard's finding is an event of the trace too (a
     * test whose run waits a minute would get a silence); the tests of the guards turn them on.
     */
    private static final Map<String, String> TEST_DEFAULTS = Map.of(
            "tracestream.sse.heartbeat", "PT0.5S",
            "tracestream.sse.retry", "PT0.2S",
            "tracestream.ingest.max-batch", "50",
            "tracestream.ingest.max-body-bytes", "65536",
            "tracestream.trace.max-events", "1000",
            "tracestream.trace.end-grace", "PT0.5S",
            "tracestream.guards.enabled", "false");

    private TestDeployments() {}

    /** The built WAR, which Payara Micro deploys at a context root named after the file. */
    private static File builtWar() {
        return new File(System.getProperty("tracestream.war", "target/trace-stream.war"));
    }

    /** Where Payara Micro deploys the test WAR: {@code /trace-stream}. */
    public static String contextRoot() {
        String name = builtWar().getName();
        return "/" + name.substring(0, name.length() - ".war".length());
    }

    public static WebArchive war(Map<String, String> settings) {
        File file = builtWar();
        String path = file.getPath();
        if (!file.isFile()) {
            throw new IllegalStateException(path + " not found: integration tests run after `mvn package` (use `mvn verify`)");
        }
        Map<String, String> all = new LinkedHashMap<>(TEST_DEFAULTS);
        all.putAll(settings);
        all.put("config_ordinal", "500");
        String properties = all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
        JavaArchive config = ShrinkWrap.create(JavaArchive.class, "test-config.jar")
                .addAsManifestResource(new StringAsset(properties), "microprofile-config.properties");
        return ShrinkWrap.createFromZipFile(WebArchive.class, file).addAsLibrary(config);
    }

    public static WebArchive withRedis(String redisUrl) {
        return war(Map.of("tracestream.redis.url", redisUrl));
    }

    public static WebArchive inMemory() {
        return war(Map.of());
    }
}
