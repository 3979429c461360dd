package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker example of docker/, checked without a Docker engine: nginx accepts its configuration
 * ({@code nginx -t}, Debian package {@code nginx}) and it is SSE-safe, Prometheus accepts its
 * configuration with the rules of alerting/ ({@code promtool check config}), the OpenTelemetry
 * Collector's configuration joins an OTLP receiver to an exporter that reaches Trace Stream, every
 * file the compose file mounts or builds from exists, and {@code docker-compose config -q} (Debian
 * package {@code docker-compose}, v1, needs no engine) accepts the compose file.
 */
class DockerExampleTest {

    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^\\s*server\\s+([A-Za-z0-9.-]+):(\\d+)");
    private static final String COLLECTOR = "otel-collector";
    private static final Path COLLECTOR_CONFIG = Path.of("otel-collector", "config.yaml");
    /** The Collector's OTLP/HTTP exporter: {@code otlp_http} since Collector 0.144, {@code otlphttp} before. */
    private static final Set<String> OTLP_HTTP_EXPORTERS = Set.of("otlp_http", "otlphttp");
    /** {@code image: name:tag} with a version tag: {@code latest} or no tag would change under the example. */
    private static final Pattern PINNED_COLLECTOR_IMAGE =
            Pattern.compile("otel/opentelemetry-collector-contrib:\\d+\\.\\d+\\.\\d+");

    static Path composeFile() {
        return Ops.docker().resolve("docker-compose.yml");
    }

    static Map<String, Object> compose() {
        return Ops.map(Ops.yaml(composeFile()));
    }

    static Map<String, Object> services() {
        return Ops.map(compose().get("services"));
    }

    // ------------------------------------------------------------------ nginx

    @Test
    void nginxAcceptsTheConfiguration(@TempDir Path tmp) throws IOException {
        String nginx = Ops.require("nginx", "nginx");
        String conf = Ops.read(Ops.docker().resolve("nginx/nginx.conf"));
        // nginx -t resolves upstream host names; the compose service names exist only in Docker.
        Matcher m = UPSTREAM_SERVER.matcher(conf);
        Set<String> hosts = new TreeSet<>();
        while (m.find()) {
            hosts.add(m.group(1));
        }
        assertFalse(hosts.isEmpty(), "no upstream server in nginx.conf");
        String local = conf;
        for (String host : hosts) {
            local = local.replace(" " + host + ":", " 127.0.0.1:");
        }
        Path copy = Files.writeString(tmp.resolve("nginx.conf"), local);
        Files.createDirectories(tmp.resolve("logs"));
        Ops.Result r = Ops.runOk(tmp, List.of(nginx, "-t", "-q", "-p", tmp.toString(), "-e", "stderr", "-c", copy.toString()));
        assertFalse(r.output().contains("[emerg]"), r.output());
    }

    @Test
    void nginxUpstreamsAreTheComposeInstances() {
        String conf = Ops.read(Ops.docker().resolve("nginx/nginx.conf"));
        Matcher m = UPSTREAM_SERVER.matcher(conf);
        Set<String> servers = new TreeSet<>();
        while (m.find()) {
            servers.add(m.group(1) + ":" + m.group(2));
        }
        assertEquals(Set.of("trace-stream-1:8080", "trace-stream-2:8080"), servers);
        assertTrue(services().keySet().containsAll(Set.of("trace-stream-1", "trace-stream-2")));
    }

    @Test
    void nginxStreamLocationIsSseSafe() {
        String conf = Ops.read(Ops.docker().resolve("nginx/nginx.conf"));
        int at = conf.indexOf("location ~ ^/traces/[^/]+/stream$");
        assertTrue(at >= 0, "no location for GET /traces/{trace_id}/stream");
        String block = conf.substring(at, conf.indexOf('}', at));
        List<String> missing = new ArrayList<>();
        for (String directive : List.of("proxy_buffering off;", "proxy_cache off;", "proxy_read_timeout 1h;",
                "proxy_pass http://trace_stream;")) {
            if (!block.contains(directive)) {
                missing.add(directive);
            }
        }
        // HTTP/1.1 to the upstream with an empty Connection header (server level, inherited).
        for (String directive : List.of("proxy_http_version 1.1;", "proxy_set_header Connection \"\";")) {
            if (!conf.contains(directive)) {
                missing.add(directive);
            }
        }
        assertEquals(List.of(), missing);
    }

    // ------------------------------------------------------------------ Prometheus

    @Test
    void prometheusAcceptsTheConfigurationWithTheAlertingRules(@TempDir Path tmp) throws IOException {
        String promtool = Ops.require("promtool", "prometheus");
        String conf = Ops.read(Ops.docker().resolve("prometheus/prometheus.yml"));
        String mountPoint = alertingMountPoint("prometheus") + "/";
        assertTrue(conf.contains(mountPoint), "prometheus.yml must load rules from " + mountPoint);
        Path copy = Files.writeString(tmp.resolve("prometheus.yml"),
                conf.replace(mountPoint, Ops.alerting().toString() + "/"));
        Ops.Result r = Ops.runOk(tmp, List.of(promtool, "check", "config", copy.toString()));
        int files = Ops.ruleFiles().size();
        assertTrue(r.output().contains("SUCCESS: " + files + " rule files found"),
                "expected all " + files + " rule files of alerting/ to be loaded:\n" + r.output());
    }

    @Test
    void prometheusScrapesEveryInstance() {
        Map<String, Object> prom = Ops.map(Ops.yaml(Ops.docker().resolve("prometheus/prometheus.yml")));
        Set<String> targets = new TreeSet<>();
        for (Object sc : Ops.seq(prom.get("scrape_configs"))) {
            Map<String, Object> job = Ops.map(sc);
            if ("trace-stream".equals(job.get("job_name"))) {
                assertEquals("/metrics", job.get("metrics_path"));
                for (Object st : Ops.seq(job.get("static_configs"))) {
                    Ops.seq(Ops.map(st).get("targets")).forEach(t -> targets.add((String) t));
                }
            }
        }
        assertEquals(Set.of("trace-stream-1:8080", "trace-stream-2:8080"), targets,
                "scrape job \"trace-stream\" (the job the alerts select) must list both instances");
    }

    /** Where the compose file mounts ../alerting in a service. */
    private static String alertingMountPoint(String service) {
        for (Object v : Ops.seq(Ops.map(services().get(service)).get("volumes"))) {
            String[] parts = String.valueOf(v).split(":");
            if (parts[0].equals("../alerting")) {
                return parts[1];
            }
        }
        return org.junit.jupiter.api.Assertions.fail(service + " does not mount ../alerting");
    }

    // ------------------------------------------------------------------ compose

    @Test
    void composeIsV1CompatibleAndHasTheWholeStack() {
        Map<String, Object> compose = compose();
        assertFalse(compose.containsKey("name"), "docker-compose v1 rejects a top-level name:");
        assertTrue(services().keySet().containsAll(Set.of("trace-stream-1", "trace-stream-2", "nginx", "redis",
                "prometheus", "alertmanager", "grafana", "jaeger", COLLECTOR)), "services: " + services().keySet());
        assertTrue(String.valueOf(Ops.map(services().get("redis")).get("command")).contains("appendonly, yes"),
                "redis must run with AOF on (--appendonly yes)");
    }

    @Test
    void instancesExportTracesToJaegerAndUseRedis() {
        Map<String, String> wanted = Map.of(
                "TRACESTREAM_REDIS_URL", "redis://redis:6379",
                "OTEL_SDK_DISABLED", "false",
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_SERVICE_NAME", "trace-stream");
        List<String> problems = new ArrayList<>();
        for (String instance : List.of("trace-stream-1", "trace-stream-2")) {
            Map<String, Object> env = Ops.map(Ops.map(services().get(instance)).get("environment"));
            wanted.forEach((k, v) -> {
                if (!v.equals(String.valueOf(env.get(k)))) {
                    problems.add(instance + ": " + k + "=" + env.get(k) + ", expected " + v);
                }
            });
        }
        Map<String, Object> jaeger = Ops.map(services().get("jaeger"));
        if (!Ops.seq(jaeger.get("ports")).contains("16686:16686")) {
            problems.add("jaeger does not publish its UI, 16686:16686: " + jaeger.get("ports"));
        }
        // The instances reach it inside the compose network; the host's OTLP ports are the Collector's.
        if (!containerPorts(jaeger).contains("4318")) {
            problems.add("jaeger does not expose OTLP/HTTP 4318 to the instances: " + jaeger.get("expose"));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void noTwoServicesPublishTheSameHostPort() {
        Map<String, String> owner = new TreeMap<>();
        List<String> clashes = new ArrayList<>();
        for (Map.Entry<String, Object> s : services().entrySet()) {
            for (Object p : Ops.seq(Ops.map(s.getValue()).get("ports"))) {
                String hostPort = String.valueOf(p).split(":")[0];
                String before = owner.putIfAbsent(hostPort, s.getKey());
                if (before != null) {
                    clashes.add(hostPort + ": " + before + " and " + s.getKey());
                }
            }
        }
        assertEquals(List.of(), clashes);
    }

    // ------------------------------------------------------------------ OpenTelemetry Collector

    static Map<String, Object> collectorConfig() {
        Path file = Ops.docker().resolve(COLLECTOR_CONFIG);
        assertTrue(Files.isRegularFile(file), "no Collector configuration at " + file);
        return Ops.map(Ops.yaml(file));
    }

    @Test
    void theCollectorRunsAPinnedContribImageOnItsMountedConfiguration() {
        Map<String, Object> collector = Ops.map(services().get(COLLECTOR));
        String image = String.valueOf(collector.get("image"));
        assertTrue(PINNED_COLLECTOR_IMAGE.matcher(image).matches(), "image must be a pinned contrib release: " + image);
        String mount = null;
        for (Object v : Ops.seq(collector.get("volumes"))) {
            String[] parts = String.valueOf(v).split(":");
            if (Path.of(parts[0]).normalize().equals(COLLECTOR_CONFIG)) {
                mount = parts[1];
            }
        }
        assertTrue(mount != null, COLLECTOR + " does not mount ./" + COLLECTOR_CONFIG + ": " + collector.get("volumes"));
        assertEquals(List.of("--config=" + mount), Ops.seq(collector.get("command")),
                COLLECTOR + " must run on the mounted configuration");
    }

    @Test
    void theCollectorTakesOtlpGrpcAndHttpOnTheStandardPortsFromOutsideItsContainer() {
        Map<String, Object> protocols = Ops.map(Ops.map(Ops.map(collectorConfig().get("receivers")).get("otlp")).get("protocols"));
        // 0.0.0.0: since Collector 0.104 a receiver without an endpoint listens on localhost only,
        // which nothing outside the container reaches.
        assertEquals("0.0.0.0:4317", Ops.map(protocols.get("grpc")).get("endpoint"));
        assertEquals("0.0.0.0:4318", Ops.map(protocols.get("http")).get("endpoint"));
        List<Object> published = Ops.seq(Ops.map(services().get(COLLECTOR)).get("ports"));
        assertTrue(published.containsAll(List.of("4317:4317", "4318:4318")), COLLECTOR + " publishes " + published);
    }

    @Test
    void theCollectorsTracesPipelineEndsInAnOtlpHttpExporterReachingAServiceOfTheComposeFile() {
        Map<String, Object> config = collectorConfig();
        Map<String, Object> exporters = Ops.map(config.get("exporters"));
        Map<String, Object> traces = Ops.map(Ops.map(Ops.map(config.get("service")).get("pipelines")).get("traces"));
        assertEquals(List.of("otlp"), Ops.seq(traces.get("receivers")));
        assertTrue(Ops.map(config.get("receivers")).containsKey("otlp"));
        // Every component the pipeline names is defined, or the Collector refuses to start.
        for (String kind : List.of("receivers", "processors", "exporters")) {
            for (Object name : Ops.seq(traces.get(kind))) {
                assertTrue(Ops.map(config.get(kind)).containsKey(String.valueOf(name)), kind + " does not define " + name);
            }
        }
        List<String> toTraceStream = new ArrayList<>();
        for (Object name : Ops.seq(traces.get("exporters"))) {
            String id = String.valueOf(name);
            if (!OTLP_HTTP_EXPORTERS.contains(id.split("/", 2)[0])) {
                continue;
            }
            URI endpoint = URI.create(String.valueOf(Ops.map(exporters.get(id)).get("endpoint")));
            assertEquals("http", endpoint.getScheme(), id);
            // The exporter appends /v1/traces itself: a path here would end up in front of it.
            assertTrue(endpoint.getPath() == null || endpoint.getPath().isEmpty() || "/".equals(endpoint.getPath()),
                    id + " endpoint must be the server's root, not " + endpoint);
            assertTrue(services().containsKey(endpoint.getHost()), id + " sends to " + endpoint.getHost()
                    + ", which is not a service of the compose file: " + services().keySet());
            Set<String> listening = containerPorts(Ops.map(services().get(endpoint.getHost())));
            assertTrue(listening.contains(String.valueOf(endpoint.getPort())), id + " sends to port " + endpoint.getPort()
                    + " of " + endpoint.getHost() + ", which listens on " + listening);
            toTraceStream.add(id);
        }
        assertFalse(toTraceStream.isEmpty(), "no otlp_http exporter in the traces pipeline: " + traces);
    }

    /** The ports a service listens on inside the network: its {@code expose} list and the container side of {@code ports}. */
    private static Set<String> containerPorts(Map<String, Object> service) {
        Set<String> ports = new TreeSet<>();
        Ops.seq(service.get("expose")).forEach(p -> ports.add(String.valueOf(p)));
        for (Object p : Ops.seq(service.get("ports"))) {
            String[] parts = String.valueOf(p).split(":");
            ports.add(parts[parts.length - 1]);
        }
        return ports;
    }

    @Test
    void everyFileTheComposeFileMountsOrBuildsFromExists() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Object> s : services().entrySet()) {
            Map<String, Object> service = Ops.map(s.getValue());
            for (Object v : Ops.seq(service.get("volumes"))) {
                String source = String.valueOf(v).split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    Path path = Ops.docker().resolve(source).normalize();
                    if (!Files.exists(path)) {
                        missing.add(s.getKey() + ": " + v + " -> " + path);
                    }
                }
            }
            Object build = service.get("build");
            if (build != null) {
                Path context = Ops.docker().resolve(String.valueOf(Ops.map(build).get("context"))).normalize();
                Path dockerfile = context.resolve(String.valueOf(Ops.map(build).getOrDefault("dockerfile", "Dockerfile")));
                if (!Files.isDirectory(context) || !Files.isRegularFile(dockerfile)) {
                    missing.add(s.getKey() + ": build " + context + " / " + dockerfile);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void grafanaProvisionsTheDashboardFromAlerting() {
        Map<String, Object> provider = Ops.map(Ops.seq(Ops.map(Ops.yaml(
                Ops.docker().resolve("grafana/provisioning/dashboards/trace-stream.yml"))).get("providers")).get(0));
        String path = String.valueOf(Ops.map(provider.get("options")).get("path"));
        List<String> volumes = Ops.seq(Ops.map(services().get("grafana")).get("volumes")).stream().map(String::valueOf).toList();
        assertTrue(volumes.contains("../alerting/grafana:" + path + ":ro"), "grafana must mount ../alerting/grafana at " + path + ": " + volumes);
        assertTrue(volumes.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"), String.valueOf(volumes));
        assertTrue(Files.isRegularFile(GrafanaDashboardTest.dashboardFile()));
    }

    @Test
    void alertmanagerUsesTheAlertingConfig() {
        List<String> volumes = Ops.seq(Ops.map(services().get("alertmanager")).get("volumes")).stream().map(String::valueOf).toList();
        assertTrue(volumes.contains("../alerting/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro"), String.valueOf(volumes));
    }

    /** Debian's docker-compose (v1) validates the file without a Docker engine; missing, it fails the test. */
    @Test
    void composeFilePassesDockerComposeConfig() {
        String dockerCompose = Ops.require("docker-compose", "docker-compose");
        Ops.Result r = Ops.runOk(Ops.docker(), List.of(dockerCompose, "-f", composeFile().toString(), "config", "-q"));
        assertFalse(r.output().contains("ERROR"), r.output());
    }

    // ------------------------------------------------------------------ Dockerfile

    @Test
    void dockerfileRunsTheWarOnPayaraMicro() {
        String dockerfile = Ops.read(Ops.docker().resolve("Dockerfile"));
        List<String> missing = new ArrayList<>();
        for (String s : List.of("target/payara-micro.jar", "target/trace-stream.war",
                "TRACESTREAM_REDIS_URL=redis://redis:6379",
                "ENTRYPOINT [\"java\", \"-jar\", \"payara-micro.jar\", \"--deploy\", \"trace-stream.war\", "
                        + "\"--contextroot\", \"/\", \"--port\", \"8080\", \"--nocluster\"]",
                "EXPOSE 8080")) {
            if (!dockerfile.contains(s)) {
                missing.add(s);
            }
        }
        assertEquals(List.of(), missing, "docker/Dockerfile lacks");
        // The build copies what `mvn package` makes: the names must match the POM's finalName.
        assertTrue(Ops.read(Ops.root().resolve("pom.xml")).contains("<finalName>trace-stream</finalName>"),
                "pom.xml finalName changed: update docker/Dockerfile");
    }
}
