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
import io.tracestream.domain.TraceId;
import io.tracestream.ops.JsonLogLines;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import java.io.StringReader;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker example of docker/, checked without a Docker engine: nginx accepts its configuration
 * ({@code nginx -t}, Debian package {@code nginx}) and it is SSE-safe, Prometheus accepts its
 * configuration with the rules of alerting/ ({@code promtool check config}), the OpenTelemetry
 * Collector's configuration joins an OTLP receiver to an exporter that reaches Trace Stream, every
 * file the compose file mounts or builds from exists, and {@code docker-compose config -q} (Debian
 * package {@code docker-compose}, v1, needs no engine) accepts the compose file. Redis asks for a
 * password the instances have. The centralised logs: Grafana Alloy's configuration (no Alloy binary
 * reaches our machines: its structure is read by {@link AlloyConfig}) takes exactly the instances'
 * standard output, parses their JSON lines as the server writes them and sends them to the Loki of
 * the compose file; Grafana's Loki datasource turns a line's {@code trace_id} into links that resolve:
 * to the trace's page, a route the server serves through nginx, and to its requests in Jaeger.
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

    private static final String ALLOY = "alloy";
    private static final Path ALLOY_CONFIG = Path.of("alloy", "config.alloy");
    private static final Pattern PINNED_ALLOY_IMAGE = Pattern.compile("grafana/alloy:v\\d+\\.\\d+\\.\\d+");
    private static final Pattern PINNED_LOKI_IMAGE = Pattern.compile("grafana/loki:\\d+\\.\\d+\\.\\d+");
    /** The Docker engine's API socket: it exists where the engine runs, not on our build machines. */
    private static final String ENGINE_SOCKET = "/var/run/docker.sock";
    private static final Path LOGS_DATASOURCES = Path.of("grafana", "provisioning", "datasources", "loki.yml");
    /** Grafana's value of a matched field in a data link, escaped from Grafana's environment expansion. */
    private static final String MATCHED_VALUE = "$${__value.raw}";
    private static final Pattern ENVIRONMENT = Pattern.compile("\\$\\{([A-Z_]+)}");

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
                "prometheus", "alertmanager", "grafana", "jaeger", COLLECTOR, "loki", ALLOY)), "services: " + services().keySet());
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

    /**
     * Behind nginx every request is proxied, so the open network never applies: the instances need
     * keys, and the Collector must send one of them with the ingest scope.
     */
    @Test
    void theInstancesReadTheMountedKeysFileAndTheCollectorSendsAnIngestKeyOfIt() throws Exception {
        for (String instance : List.of("trace-stream-1", "trace-stream-2")) {
            Map<String, Object> service = Ops.map(services().get(instance));
            String keysFile = String.valueOf(Ops.map(service.get("environment")).get("TRACESTREAM_AUTH_KEYS_FILE"));
            assertTrue(Ops.seq(service.get("volumes")).stream().map(String::valueOf)
                    .anyMatch(v -> v.startsWith("./keys.json:" + keysFile)), instance + " mounts keys.json at " + keysFile);
            assertFalse(String.valueOf(Ops.map(service.get("environment")).get("TRACESTREAM_AUTH_SESSION_SECRET")).isBlank(),
                    instance + ": both instances sign sessions with one secret");
        }
        String sent = String.valueOf(Ops.map(Ops.map(services().get(COLLECTOR)).get("environment")).get("TRACE_STREAM_KEY"));
        Matcher fallback = Pattern.compile("\\$\\{TRACE_STREAM_KEY:-([^}]+)}").matcher(sent);
        assertTrue(fallback.matches(), "the Collector's key comes from TRACE_STREAM_KEY, with the example's as fallback: " + sent);
        Map<String, Object> exporter = Ops.map(Ops.map(collectorConfig().get("exporters")).get("otlp_http/trace-stream"));
        assertEquals("Bearer ${env:TRACE_STREAM_KEY}", String.valueOf(Ops.map(exporter.get("headers")).get("Authorization")));
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(fallback.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        boolean ingestKey = Json.createReader(Files.newBufferedReader(Ops.docker().resolve("keys.json"))).readArray()
                .getValuesAs(JsonObject.class).stream()
                .anyMatch(k -> k.getString("sha256").equals(hash)
                        && k.getJsonArray("scopes").getValuesAs(jakarta.json.JsonString.class).stream()
                        .anyMatch(scope -> scope.getString().equals("ingest")));
        assertTrue(ingestKey, "keys.json holds the Collector's key with the ingest scope");
    }

    @Test
    void everyFileTheComposeFileMountsOrBuildsFromExists() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Object> s : services().entrySet()) {
            Map<String, Object> service = Ops.map(s.getValue());
            for (Object v : Ops.seq(service.get("volumes"))) {
                String source = String.valueOf(v).split(":")[0];
                if (source.equals(ENGINE_SOCKET)) {
                    continue;
                }
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
                "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-XX:+ExitOnOutOfMemoryError\", \"-jar\", "
                        + "\"payara-micro.jar\", \"--deploy\", \"trace-stream.war\", \"--contextroot\", \"/\", \"--port\", \"8080\", "
                        + "\"--nocluster\", \"--rootdir\", \"/opt/tracestream/runtime\"]",
                "EXPOSE 8080")) {
            if (!dockerfile.contains(s)) {
                missing.add(s);
            }
        }
        assertEquals(List.of(), missing, "docker/Dockerfile lacks");
        // The JVM announces JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS with a line of its own, not JSON.
        List<String> announced = dockerfile.lines().filter(l -> !l.strip().startsWith("#"))
                .filter(l -> l.contains("JAVA_TOOL_OPTIONS") || l.contains("JDK_JAVA_OPTIONS")).toList();
        assertEquals(List.of(), announced, "JVM options belong on the command line");
        // The build copies what `mvn package` makes: the names must match the POM's finalName.
        assertTrue(Ops.read(Ops.root().resolve("pom.xml")).contains("<finalName>trace-stream</finalName>"),
                "pom.xml finalName changed: update docker/Dockerfile");
    }

    // ------------------------------------------------------------------ Redis with a password

    @Test
    void redisAsksForThePasswordTheInstancesAndItsHealthCheckHave() {
        Map<String, Object> redis = Ops.map(services().get("redis"));
        List<String> command = Ops.seq(redis.get("command")).stream().map(String::valueOf).toList();
        int at = command.indexOf("--requirepass");
        assertTrue(at >= 0 && at + 1 < command.size(), "redis runs without --requirepass: " + command);
        String password = command.get(at + 1);
        assertEquals(password, String.valueOf(Ops.map(redis.get("environment")).get("REDISCLI_AUTH")),
                "redis-cli of the health check must have the password");
        for (String instance : List.of("trace-stream-1", "trace-stream-2")) {
            Map<String, Object> env = Ops.map(Ops.map(services().get(instance)).get("environment"));
            assertEquals(password, String.valueOf(env.get("TRACESTREAM_REDIS_PASSWORD")), instance);
            assertFalse(String.valueOf(env.get("TRACESTREAM_REDIS_URL")).contains("@"),
                    instance + ": the password is kept out of the URL, which the server logs");
        }
        assertTrue(password.startsWith("${REDIS_PASSWORD:-"), "the operator sets it with REDIS_PASSWORD: " + password);
    }

    // ------------------------------------------------------------------ Loki and Grafana Alloy

    static AlloyConfig alloyConfig() {
        Path file = Ops.docker().resolve(ALLOY_CONFIG);
        assertTrue(Files.isRegularFile(file), "no Alloy configuration at " + file);
        return new AlloyConfig(Ops.read(file));
    }

    @Test
    void lokiAndAlloyRunPinnedImagesAndAlloyRunsOnItsMountedConfigurationWithTheEnginesSocket() {
        Map<String, Object> loki = Ops.map(services().get("loki"));
        assertTrue(PINNED_LOKI_IMAGE.matcher(String.valueOf(loki.get("image"))).matches(), "loki image " + loki.get("image"));
        Map<String, Object> alloy = Ops.map(services().get(ALLOY));
        assertTrue(PINNED_ALLOY_IMAGE.matcher(String.valueOf(alloy.get("image"))).matches(), "alloy image " + alloy.get("image"));
        String mount = null;
        boolean socket = false;
        for (Object v : Ops.seq(alloy.get("volumes"))) {
            String[] parts = String.valueOf(v).split(":");
            if (Path.of(parts[0]).normalize().equals(ALLOY_CONFIG)) {
                mount = parts[1];
            }
            socket |= parts[0].equals(ENGINE_SOCKET) && parts[1].equals(ENGINE_SOCKET);
        }
        assertTrue(mount != null, ALLOY + " does not mount ./" + ALLOY_CONFIG + ": " + alloy.get("volumes"));
        List<Object> command = Ops.seq(alloy.get("command"));
        assertEquals("run", command.get(0), String.valueOf(command));
        assertEquals(mount, command.get(command.size() - 1), ALLOY + " must run on the mounted configuration");
        assertTrue(socket, ALLOY + " reads docker logs through the engine's socket: " + alloy.get("volumes"));
        for (AlloyConfig.Component c : alloyConfig().components()) {
            c.attribute("host").ifPresent(host -> assertEquals("unix://" + ENGINE_SOCKET, host, c.type()));
        }
    }

    @Test
    void theAlloyConfigurationIsMadeOfComponentsAndEveryReferenceNamesOneOfThem() {
        AlloyConfig config = alloyConfig();
        assertFalse(config.components().isEmpty());
        List<String> dangling = config.references().stream()
                .filter(r -> config.component(r.type(), r.label()).isEmpty())
                .map(r -> r.type() + "." + r.label() + "." + r.export()).toList();
        assertEquals(List.of(), dangling, "references to components the configuration does not define");
        // Every component's output goes somewhere: the pipeline runs from the engine to Loki.
        for (String type : List.of("discovery.docker", "discovery.relabel", "loki.source.docker", "loki.process", "loki.write")) {
            assertEquals(1, config.components(type).size(), type);
        }
        AlloyConfig.Component source = config.components("loki.source.docker").get(0);
        AlloyConfig.Component process = config.components("loki.process").get(0);
        AlloyConfig.Component write = config.components("loki.write").get(0);
        assertTrue(source.body().contains("loki.process." + process.label() + ".receiver"), "docker logs go to the JSON parsing");
        assertTrue(process.body().contains("loki.write." + write.label() + ".receiver"), "parsed lines go to Loki");
    }

    @Test
    void alloyReadsExactlyTheTraceStreamInstancesAndWritesToTheComposeFilesLoki() {
        AlloyConfig config = alloyConfig();
        AlloyConfig.Component relabel = config.components("discovery.relabel").get(0);
        Pattern kept = null;
        for (String rule : relabel.blocks("rule")) {
            if (rule.contains("action") && rule.contains("\"keep\"")) {
                assertTrue(rule.contains("__meta_docker_container_label_com_docker_compose_service"), rule);
                Matcher regex = Pattern.compile("regex\\s*=\\s*\"([^\"]*)\"").matcher(rule);
                assertTrue(regex.find(), rule);
                kept = Pattern.compile(regex.group(1));
            }
        }
        assertTrue(kept != null, "no keep rule on the compose service: Alloy would read every container");
        Set<String> read = new TreeSet<>();
        for (String service : services().keySet()) {
            if (kept.matcher(service).matches()) {
                read.add(service);
            }
        }
        assertEquals(Set.of("trace-stream-1", "trace-stream-2"), read, "the services whose logs Alloy reads");
        assertTrue(config.components("loki.source.docker").get(0).body().contains("discovery.relabel." + relabel.label() + ".output"),
                "loki.source.docker must read the kept targets");

        AlloyConfig.Component write = config.components("loki.write").get(0);
        URI push = URI.create(write.blocks("endpoint").stream().map(e -> new AlloyConfig.Component("endpoint", "", e))
                .map(e -> e.attribute("url").orElseThrow()).findFirst().orElseThrow());
        assertEquals("/loki/api/v1/push", push.getPath());
        assertTrue(services().containsKey(push.getHost()), push.getHost() + " is not a service of the compose file");
        assertTrue(containerPorts(Ops.map(services().get(push.getHost()))).contains(String.valueOf(push.getPort())),
                push.getHost() + " does not listen on " + push.getPort());
    }

    @Test
    void alloyParsesTheServersJsonLinesAndKeepsTheTraceIdsOutOfTheLabels() throws Exception {
        AlloyConfig.Component process = alloyConfig().components("loki.process").get(0);
        List<String> json = process.blocks("stage.json");
        assertEquals(1, json.size(), "one stage.json");
        Map<String, String> extracted = AlloyConfig.map(json.get(0), "expressions");
        JsonObject line = Json.createReader(new StringReader(JsonLogLines.warningAbout("wf-42", "4bf92f3577b34da6a3ce929d0e0e4736")))
                .readObject();
        for (Map.Entry<String, String> e : extracted.entrySet()) {
            String field = e.getValue().isEmpty() ? e.getKey() : e.getValue();
            assertTrue(line.containsKey(field), "stage.json reads " + field + ", which the server's lines do not have: " + line);
        }
        assertTrue(extracted.keySet().containsAll(Set.of("trace_id", "otel_trace_id", "level", "time")), String.valueOf(extracted));
        Set<String> labels = new TreeSet<>();
        process.blocks("stage.labels").forEach(b -> labels.addAll(AlloyConfig.map(b, "values").keySet()));
        assertTrue(labels.contains("level"), "level is a label: " + labels);
        assertFalse(labels.contains("trace_id") || labels.contains("otel_trace_id"),
                "a trace id as a label makes one Loki stream per trace: " + labels);
        Set<String> metadata = new TreeSet<>();
        process.blocks("stage.structured_metadata").forEach(b -> metadata.addAll(AlloyConfig.map(b, "values").keySet()));
        assertTrue(metadata.containsAll(Set.of("trace_id", "otel_trace_id")), "trace ids as structured metadata: " + metadata);
        List<String> timestamp = process.blocks("stage.timestamp");
        assertEquals(1, timestamp.size());
        assertEquals(Optional.of("time"), new AlloyConfig.Component("stage.timestamp", "", timestamp.get(0)).attribute("source"));
    }

    // ------------------------------------------------------------------ Grafana: from a log line to its trace

    static Map<String, Object> datasource(String type) {
        Path file = Ops.docker().resolve(LOGS_DATASOURCES);
        assertTrue(Files.isRegularFile(file), "no datasource file at " + file);
        for (Object d : Ops.seq(Ops.map(Ops.yaml(file)).get("datasources"))) {
            if (type.equals(Ops.map(d).get("type"))) {
                return Ops.map(d);
            }
        }
        return org.junit.jupiter.api.Assertions.fail("no " + type + " datasource in " + file);
    }

    static Map<String, Object> derivedField(String name) {
        for (Object f : Ops.seq(Ops.map(datasource("loki").get("jsonData")).get("derivedFields"))) {
            if (name.equals(Ops.map(f).get("name"))) {
                return Ops.map(f);
            }
        }
        return org.junit.jupiter.api.Assertions.fail("no derived field " + name);
    }

    /** A derived field's link for {@code value}, as Grafana builds it from its environment in the compose file. */
    static URI link(Map<String, Object> field, String value) {
        Map<String, Object> env = Ops.map(Ops.map(services().get("grafana")).get("environment"));
        String url = String.valueOf(field.get("url"));
        assertTrue(url.contains(MATCHED_VALUE), "the link must carry the matched value, " + MATCHED_VALUE + ": " + url);
        url = url.replace(MATCHED_VALUE, value);
        Matcher m = ENVIRONMENT.matcher(url);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            Object v = env.get(m.group(1));
            assertTrue(v != null, "grafana's environment lacks " + m.group(1) + ": " + env.keySet());
            m.appendReplacement(expanded, Matcher.quoteReplacement(String.valueOf(v)));
        }
        m.appendTail(expanded);
        return URI.create(expanded.toString());
    }

    /** The value a derived field takes from a log line. */
    static String matched(Map<String, Object> field, String line) {
        Matcher m = Pattern.compile(String.valueOf(field.get("matcherRegex"))).matcher(line);
        assertTrue(m.find(), field.get("name") + " does not match the line " + line);
        return m.group(1);
    }

    /** The compose service that publishes {@code port} on the host. */
    static String publisher(int port) {
        for (Map.Entry<String, Object> s : services().entrySet()) {
            for (Object p : Ops.seq(Ops.map(s.getValue()).get("ports"))) {
                if (String.valueOf(p).split(":")[0].equals(String.valueOf(port))) {
                    return s.getKey();
                }
            }
        }
        return org.junit.jupiter.api.Assertions.fail("no service publishes port " + port);
    }

    @Test
    void grafanaHasTheLokiAndJaegerOfTheComposeFile() {
        for (String type : List.of("loki", "jaeger")) {
            URI url = URI.create(String.valueOf(datasource(type).get("url")));
            assertTrue(services().containsKey(url.getHost()), type + " datasource at " + url + ": not a compose service");
            assertTrue(containerPorts(Ops.map(services().get(url.getHost()))).contains(String.valueOf(url.getPort())),
                    url.getHost() + " does not listen on " + url.getPort());
        }
        List<String> volumes = Ops.seq(Ops.map(services().get("grafana")).get("volumes")).stream().map(String::valueOf).toList();
        assertTrue(volumes.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"), "the datasource file is provisioned");
    }

    @Test
    void aLogLinesTraceIdLinksToTheTracesPageWhichTheServerServesThroughNginx() throws Exception {
        String line = JsonLogLines.warningAbout("wf-42.retry:2", "4bf92f3577b34da6a3ce929d0e0e4736");
        Map<String, Object> field = derivedField("trace_id");
        assertEquals("wf-42.retry:2", matched(field, line));
        URI page = link(field, "wf-42.retry:2");
        assertEquals("/ui/traces/wf-42.retry:2", page.getPath(), String.valueOf(page));

        // The host's port is nginx's, which passes /ui/ to the instances, which run the WAR at the root.
        assertEquals("nginx", publisher(page.getPort()), String.valueOf(page));
        String nginx = Ops.read(Ops.docker().resolve("nginx/nginx.conf"));
        int at = nginx.indexOf("location / {");
        assertTrue(at >= 0 && nginx.substring(at, nginx.indexOf('}', at)).contains("proxy_pass http://trace_stream;"),
                "nginx does not pass / to the instances");
        assertTrue(Ops.read(Ops.docker().resolve("Dockerfile")).contains("\"--contextroot\", \"/\""), "the WAR runs at the root");
        WebServlet servlet = io.tracestream.web.TracePageServlet.class.getAnnotation(WebServlet.class);
        assertTrue(List.of(servlet.urlPatterns()).contains("/ui/traces/*"),
                "the trace page is served at /ui/traces/{trace_id}: " + List.of(servlet.urlPatterns()));
    }

    @Test
    void theTraceIdPatternTakesEveryTraceIdTheServerAcceptsAndStopsAtTheQuote() {
        Map<String, Object> field = derivedField("trace_id");
        StringBuilder every = new StringBuilder();
        for (char c = ' '; c < 127; c++) {
            if (TraceId.isValid(String.valueOf(c))) {
                every.append(c);
            }
        }
        String longest = every.toString().repeat(TraceId.MAX_LENGTH).substring(0, TraceId.MAX_LENGTH);
        assertEquals(longest, matched(field, "{\"trace_id\":\"" + longest + "\",\"agent_id\":\"a\"}"));
        // The derived field in Jaeger takes the same value.
        assertEquals(field.get("matcherRegex"), derivedField("trace_id in Jaeger").get("matcherRegex"));
    }

    @Test
    void aLogLinesTraceIdFindsItsRequestsInJaegerByTheSpanAttributeTheServerSets() throws Exception {
        Map<String, Object> field = derivedField("trace_id in Jaeger");
        URI search = link(field, "wf-42");
        assertEquals("jaeger", publisher(search.getPort()), String.valueOf(search));
        assertEquals("/search", search.getPath());
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : search.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        String service = String.valueOf(Ops.map(Ops.map(services().get("trace-stream-1")).get("environment")).get("OTEL_SERVICE_NAME"));
        assertEquals(service, query.get("service"), "the instances' OTEL_SERVICE_NAME");
        JsonObject tags = Json.createReader(new StringReader(query.get("tags"))).readObject();
        assertEquals("wf-42", tags.getString(io.tracestream.ops.TraceCorrelation.SPAN_ATTRIBUTE), String.valueOf(tags));
    }

    @Test
    void aLogLinesOtelTraceIdOpensTheRequestsTraceInTheJaegerDatasource() {
        Map<String, Object> field = derivedField("otel_trace_id");
        String line = JsonLogLines.warningAbout("wf-42", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", matched(field, line));
        assertEquals(datasource("jaeger").get("uid"), field.get("datasourceUid"));
        assertEquals(MATCHED_VALUE, field.get("url"), "the Jaeger datasource's query is the trace id itself");
    }
}
