package io.tracestream.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every setting of Trace Stream, read once through MicroProfile Config. Defaults live in
 * {@code META-INF/microprofile-config.properties}; docs/configuration.md lists each key and its
 * environment variable.
 */
@ApplicationScoped
public class TraceStreamConfig {

    @Inject @ConfigProperty(name = "tracestream.redis.url")
    Optional<String> redisUrl;
    @Inject @ConfigProperty(name = "tracestream.redis.username")
    Optional<String> redisUsername;
    @Inject @ConfigProperty(name = "tracestream.redis.password")
    Optional<String> redisPassword;
    @Inject @ConfigProperty(name = "tracestream.redis.sentinels")
    Optional<String> redisSentinels;
    @Inject @ConfigProperty(name = "tracestream.redis.sentinel.master")
    String redisSentinelMaster;
    @Inject @ConfigProperty(name = "tracestream.redis.sentinel.username")
    Optional<String> redisSentinelUsername;
    @Inject @ConfigProperty(name = "tracestream.redis.sentinel.password")
    Optional<String> redisSentinelPassword;
    @Inject @ConfigProperty(name = "tracestream.redis.tls.enabled")
    boolean redisTlsEnabled;
    @Inject @ConfigProperty(name = "tracestream.redis.tls.ca-file")
    Optional<String> redisTlsCaFile;
    @Inject @ConfigProperty(name = "tracestream.redis.tls.keystore")
    Optional<String> redisTlsKeystore;
    @Inject @ConfigProperty(name = "tracestream.redis.tls.keystore-password")
    Optional<String> redisTlsKeystorePassword;
    @Inject @ConfigProperty(name = "tracestream.redis.tls.verify-hostname")
    boolean redisTlsVerifyHostname;
    @Inject @ConfigProperty(name = "tracestream.redis.min-replicas")
    int redisMinReplicas;
    @Inject @ConfigProperty(name = "tracestream.redis.key-prefix")
    String redisKeyPrefix;
    @Inject @ConfigProperty(name = "tracestream.redis.timeout")
    Duration redisTimeout;
    @Inject @ConfigProperty(name = "tracestream.redis.connection-pool-size")
    int redisConnectionPoolSize;
    @Inject @ConfigProperty(name = "tracestream.redis.fanout-max-len")
    long fanoutMaxLen;
    @Inject @ConfigProperty(name = "tracestream.redis.read-batch")
    int redisReadBatch;
    @Inject @ConfigProperty(name = "tracestream.redis.appends-in-flight")
    int appendsInFlight;
    @Inject @ConfigProperty(name = "tracestream.redis.claim-idle")
    Duration claimIdle;
    @Inject @ConfigProperty(name = "tracestream.redis.instance-ttl")
    Duration instanceTtl;
    @Inject @ConfigProperty(name = "tracestream.instance.id")
    Optional<String> instanceId;

    @Inject @ConfigProperty(name = "tracestream.ingest.max-batch")
    int maxBatch;
    @Inject @ConfigProperty(name = "tracestream.ingest.max-body-bytes")
    int maxBodyBytes;
    @Inject @ConfigProperty(name = "tracestream.ingest.max-json-depth")
    int maxJsonDepth;
    @Inject @ConfigProperty(name = "tracestream.ingest.dedup-window")
    Duration dedupWindow;
    @Inject @ConfigProperty(name = "tracestream.ingest.retry-after")
    Duration retryAfter;

    @Inject @ConfigProperty(name = "tracestream.otlp.trace-id-from")
    String otlpTraceIdFrom;
    @Inject @ConfigProperty(name = "tracestream.otlp.max-body-bytes")
    int otlpMaxBodyBytes;

    @Inject @ConfigProperty(name = "tracestream.trace.max-events")
    long traceMaxEvents;
    @Inject @ConfigProperty(name = "tracestream.trace.ttl")
    Duration traceTtl;

    @Inject @ConfigProperty(name = "tracestream.trace.stall-after")
    Duration stallAfter;
    @Inject @ConfigProperty(name = "tracestream.trace.end-grace")
    Duration endGrace;
    @Inject @ConfigProperty(name = "tracestream.summary.cache-size")
    int summaryCacheSize;
    @Inject @ConfigProperty(name = "tracestream.summary.max-kept-events")
    long summaryMaxKeptEvents;
    @Inject @ConfigProperty(name = "tracestream.pricing.models")
    Optional<String> modelPrices;

    @Inject @ConfigProperty(name = "tracestream.sse.heartbeat")
    Duration heartbeat;
    @Inject @ConfigProperty(name = "tracestream.sse.retry")
    Duration sseRetry;
    @Inject @ConfigProperty(name = "tracestream.sse.retry-spread")
    Duration sseRetrySpread;
    @Inject @ConfigProperty(name = "tracestream.sse.replay-page")
    int replayPage;
    @Inject @ConfigProperty(name = "tracestream.sse.max-buffered")
    int maxBuffered;
    @Inject @ConfigProperty(name = "tracestream.sse.max-connections")
    int maxConnections;
    @Inject @ConfigProperty(name = "tracestream.sse.max-unsent-bytes")
    int maxUnsentBytes;
    @Inject @ConfigProperty(name = "tracestream.sse.write-timeout")
    Duration writeTimeout;
    @Inject @ConfigProperty(name = "tracestream.sse.max-lifetime")
    Duration maxLifetime;
    @Inject @ConfigProperty(name = "tracestream.sse.opens-in-flight")
    int sseOpensInFlight;
    @Inject @ConfigProperty(name = "tracestream.sse.writer-threads")
    int writerThreads;
    @Inject @ConfigProperty(name = "tracestream.sse.list-interval")
    Duration listInterval;

    @Inject @ConfigProperty(name = "tracestream.http.allow-origins")
    Optional<String> allowOrigins;
    /** Replaced by allow-origins; read only to warn whoever still sets it. */
    @Inject @ConfigProperty(name = "tracestream.http.allow-origin")
    Optional<String> retiredAllowOrigin;

    @Inject @ConfigProperty(name = "tracestream.auth.keys")
    Optional<String> authKeys;
    @Inject @ConfigProperty(name = "tracestream.auth.keys-file")
    Optional<String> authKeysFile;
    @Inject @ConfigProperty(name = "tracestream.auth.open-networks")
    Optional<String> authOpenNetworks;
    @Inject @ConfigProperty(name = "tracestream.auth.default-rate-per-s")
    double authDefaultRatePerS;
    @Inject @ConfigProperty(name = "tracestream.auth.default-burst")
    double authDefaultBurst;
    @Inject @ConfigProperty(name = "tracestream.auth.default-max-streams")
    int authDefaultMaxStreams;
    @Inject @ConfigProperty(name = "tracestream.auth.session-secret")
    Optional<String> authSessionSecret;
    @Inject @ConfigProperty(name = "tracestream.auth.session-ttl")
    Duration authSessionTtl;
    @Inject @ConfigProperty(name = "tracestream.auth.wrong-key-burst")
    int authWrongKeyBurst;
    @Inject @ConfigProperty(name = "tracestream.auth.wrong-key-rate-per-s")
    double authWrongKeyRatePerS;

    @Inject @ConfigProperty(name = "tracestream.demo.enabled")
    boolean demoEnabled;
    @Inject @ConfigProperty(name = "tracestream.demo.speed")
    double demoSpeed;

    @Inject @ConfigProperty(name = "tracestream.log.format")
    String logFormat;

    @Inject @ConfigProperty(name = "tracestream.health.stuck-after")
    Duration stuckAfter;
    @Inject @ConfigProperty(name = "tracestream.content.capture")
    String contentCapture;
    @Inject @ConfigProperty(name = "tracestream.content.max-bytes")
    long contentMaxBytes;
    @Inject @ConfigProperty(name = "tracestream.content.preview-chars")
    int contentPreviewChars;
    @Inject @ConfigProperty(name = "tracestream.content.redact-builtin")
    boolean contentRedactBuiltin;
    @Inject @ConfigProperty(name = "tracestream.content.redact")
    Optional<String> contentRedact;

    @Inject @ConfigProperty(name = "tracestream.guards.enabled")
    boolean guardsEnabled;
    @Inject @ConfigProperty(name = "tracestream.guards.same-tool-calls")
    int guardsSameToolCalls;
    @Inject @ConfigProperty(name = "tracestream.guards.handoff-cycles")
    int guardsHandoffCycles;
    @Inject @ConfigProperty(name = "tracestream.guards.model-calls-per-agent")
    int guardsModelCallsPerAgent;
    @Inject @ConfigProperty(name = "tracestream.guards.max-run-cost-usd")
    java.math.BigDecimal guardsMaxRunCostUsd;
    @Inject @ConfigProperty(name = "tracestream.guards.max-run-tokens")
    long guardsMaxRunTokens;
    @Inject @ConfigProperty(name = "tracestream.guards.budget-warning-ratio")
    java.math.BigDecimal guardsBudgetWarningRatio;
    @Inject @ConfigProperty(name = "tracestream.guards.silent-after")
    Duration guardsSilentAfter;
    @Inject @ConfigProperty(name = "tracestream.guards.error-burst-steps")
    int guardsErrorBurstSteps;
    @Inject @ConfigProperty(name = "tracestream.guards.error-burst-window")
    Duration guardsErrorBurstWindow;
    @Inject @ConfigProperty(name = "tracestream.guards.max-run-duration")
    Duration guardsMaxRunDuration;
    @Inject @ConfigProperty(name = "tracestream.guards.overrides")
    Optional<String> guardsOverrides;
    @Inject @ConfigProperty(name = "tracestream.guards.check-every")
    Duration guardsCheckEvery;
    @Inject @ConfigProperty(name = "tracestream.guards.max-runs")
    int guardsMaxRuns;
    @Inject @ConfigProperty(name = "tracestream.guards.forget-after")
    Duration guardsForgetAfter;

    @Inject @ConfigProperty(name = "tracestream.alertmanager.url")
    Optional<String> alertmanagerUrl;
    @Inject @ConfigProperty(name = "tracestream.alertmanager.public-url")
    String alertmanagerPublicUrl;
    @Inject @ConfigProperty(name = "tracestream.alertmanager.runbook-url")
    String alertmanagerRunbookUrl;
    @Inject @ConfigProperty(name = "tracestream.alertmanager.repost-every")
    Duration alertmanagerRepostEvery;
    @Inject @ConfigProperty(name = "tracestream.alertmanager.timeout")
    Duration alertmanagerTimeout;

    /** The Redis URL, or empty for the in-memory backend. */
    public Optional<String> redisUrl() {
        return redisUrl.map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Overrides the URL's user name (Redis 6 ACL users). */
    public Optional<String> redisUsername() { return nonBlank(redisUsername); }
    /** Overrides the URL's password, so it may come from a secret of its own. */
    public Optional<String> redisPassword() { return nonBlank(redisPassword); }
    /** Sentinels as {@code host:port,host:port}; when set, Redis is found through them. */
    public Optional<String> redisSentinels() { return nonBlank(redisSentinels); }
    public String redisSentinelMaster() { return redisSentinelMaster.trim(); }
    public Optional<String> redisSentinelUsername() { return nonBlank(redisSentinelUsername); }
    public Optional<String> redisSentinelPassword() { return nonBlank(redisSentinelPassword); }
    /** TLS to the Redis servers found through Sentinel ({@code rediss://} says so for a URL). */
    public boolean redisTlsEnabled() { return redisTlsEnabled; }
    /** PEM file of the certificates that may sign Redis's; empty for the JVM's trust store. */
    public Optional<String> redisTlsCaFile() { return nonBlank(redisTlsCaFile); }
    /** PKCS#12 file with this client's certificate and key, for Redis that asks for one. */
    public Optional<String> redisTlsKeystore() { return nonBlank(redisTlsKeystore); }
    public Optional<String> redisTlsKeystorePassword() { return nonBlank(redisTlsKeystorePassword); }
    /** Check that Redis's certificate names the host connected to; off only for tests. */
    public boolean redisTlsVerifyHostname() { return redisTlsVerifyHostname; }
    /** Replicas that must confirm each write before it is acknowledged ({@code WAIT}); 0 for none. */
    public int redisMinReplicas() { return redisMinReplicas; }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(s -> !s.isEmpty());
    }

    public String redisKeyPrefix() { return redisKeyPrefix; }
    public Duration redisTimeout() { return redisTimeout; }
    public int redisConnectionPoolSize() { return redisConnectionPoolSize; }
    public long fanoutMaxLen() { return fanoutMaxLen; }
    public int redisReadBatch() { return redisReadBatch; }
    public Duration claimIdle() { return claimIdle; }
    /** Append script calls on their way to Redis at once; appends arriving meanwhile share the next call. */
    public int appendsInFlight() { return appendsInFlight; }
    public Duration instanceTtl() { return instanceTtl; }
    public Optional<String> instanceId() { return instanceId.map(String::trim).filter(s -> !s.isEmpty()); }
    /** This instance's name in logs: tracestream.instance.id, else the host name. */
    public String instanceName() {
        return instanceId().orElseGet(() -> {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "unknown";
            }
        });
    }
    /** json (one object per line) or plain (the server's text format). */
    public String logFormat() { return logFormat; }
    /** Ingest or read work in progress longer than this makes the instance not ready (a stuck instance). */
    public Duration stuckAfter() { return stuckAfter; }
    public int maxBatch() { return maxBatch; }
    public int maxBodyBytes() { return maxBodyBytes; }
    /** Deepest nesting of arrays and objects in a JSON ingest body. */
    public int maxJsonDepth() { return maxJsonDepth; }
    public Duration dedupWindow() { return dedupWindow; }
    public Duration retryAfter() { return retryAfter; }
    public long traceMaxEvents() { return traceMaxEvents; }
    /** Which trace an OpenTelemetry span goes to: {@code trace} (its OTel trace) or {@code conversation}. */
    public String otlpTraceIdFrom() { return otlpTraceIdFrom; }
    /** Bytes of one OTLP request body, after gzip is undone. */
    public int otlpMaxBodyBytes() { return otlpMaxBodyBytes; }
    public Duration traceTtl() { return traceTtl; }
    public Duration heartbeat() { return heartbeat; }
    /** A running trace with no event for this long is reported as stalled. */
    public Duration stallAfter() { return stallAfter; }
    /** A trace whose workflow has ended is finished once nothing more arrived for this long (late spans join it first). */
    public Duration endGrace() { return endGrace; }
    /** How many traces' summaries each instance keeps folded in memory. */
    public int summaryCacheSize() { return summaryCacheSize; }
    /** Events the cached summaries of span traces may keep in all, to fold again when spans arrive out of order. */
    public long summaryMaxKeptEvents() { return summaryMaxKeptEvents; }
    /** Prices per million tokens: {@code model=input/output,...}; empty when none is configured. */
    public String modelPrices() { return modelPrices.orElse(""); }
    public Duration sseRetry() { return sseRetry; }
    /** Up to this much is added at random to each stream's retry hint, so reconnects do not come all at once. */
    public Duration sseRetrySpread() { return sseRetrySpread; }
    public int replayPage() { return replayPage; }
    public int maxBuffered() { return maxBuffered; }
    public int maxConnections() { return maxConnections; }
    /** Bytes of one stream the server holds beyond what the kernel's socket buffer took, before it waits. */
    public int maxUnsentBytes() { return maxUnsentBytes; }
    public int writerThreads() { return writerThreads; }
    /** The list stream sends a trace's row at most this often, however many events the trace gets meanwhile. */
    public Duration listInterval() { return listInterval; }
    /** A client that has not taken what was written for this long has stopped reading and is dropped. */
    public Duration writeTimeout() { return writeTimeout; }
    /** How long a stream may stay open before the server ends it cleanly; zero for no limit. */
    public Duration maxLifetime() { return maxLifetime; }
    /** Origins whose pages may read the API (echoed in Access-Control-Allow-Origin); empty for none. */
    public java.util.List<String> allowOrigins() { return list(allowOrigins); }
    /** The retired single origin setting, if someone still sets it (it is not used). */
    public Optional<String> retiredAllowOrigin() { return nonBlank(retiredAllowOrigin); }
    /** The API keys as a JSON array (see docs/security.md); empty when none is configured here. */
    public Optional<String> authKeys() { return nonBlank(authKeys); }
    /** A file holding the same JSON array, re-read when it changes; empty for none. */
    public Optional<String> authKeysFile() { return nonBlank(authKeysFile); }
    /** CIDR ranges answered with full access while no key is configured; empty list: nobody. */
    public java.util.List<String> authOpenNetworks() { return list(authOpenNetworks); }
    /** Events per second a key without its own rate_per_s may send; 0 for no limit. */
    public double authDefaultRatePerS() { return authDefaultRatePerS; }
    /** Events a key without its own burst may send at once; 0 for the rate's one second's worth. */
    public double authDefaultBurst() { return authDefaultBurst; }
    /** Streams a key without its own max_streams may hold open at once; 0 for no limit but the instance's. */
    public int authDefaultMaxStreams() { return authDefaultMaxStreams; }
    /** The secret browser session cookies are signed with; the same on every instance. Empty: one per process. */
    public Optional<String> authSessionSecret() { return nonBlank(authSessionSecret); }
    /** How long a browser session lasts after sign-in. */
    public Duration authSessionTtl() { return authSessionTtl; }
    /** Wrong keys a client address may present at once before it must wait; 0 turns the throttle off. */
    public int authWrongKeyBurst() { return authWrongKeyBurst; }
    /** Wrong keys per second a client address may present once its burst is spent. */
    public double authWrongKeyRatePerS() { return authWrongKeyRatePerS; }

    /** Stream opens an instance runs at once; more wait their turn without a thread. */
    public int sseOpensInFlight() { return sseOpensInFlight; }

    private static java.util.List<String> list(Optional<String> value) {
        return value.map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(java.util.List.of());
    }
    /** Play the demo workflow once at start, for a dashboard that is alive at first sight. */
    public boolean demoEnabled() { return demoEnabled; }
    /** How fast the demo plays: 1.0 is the recorded workflow's own pace, 2.0 twice as fast. */
    public double demoSpeed() { return demoSpeed; }

    /** How much of what model and tool calls said is kept: {@code full}, {@code metadata} (previews only) or {@code none}. */
    public String contentCapture() { return contentCapture; }
    /** Largest content of one call, in UTF-8 bytes of its JSON; more is cut (marked), never refused. */
    public long contentMaxBytes() { return contentMaxBytes; }
    /** Characters of the previews of a call's input and output that each event carries. */
    public int contentPreviewChars() { return contentPreviewChars; }
    /** Redact the built-in set of secrets (API keys, bearer tokens, card numbers...) before anything is stored. */
    public boolean contentRedactBuiltin() { return contentRedactBuiltin; }
    /**
     * The operator's own redaction patterns (Java regular expressions), comma-separated; a comma
     * inside a pattern is written {@code \,} (which is also a regular expression for a comma).
     */
    public java.util.List<String> contentRedact() {
        return contentRedact.map(v -> java.util.Arrays.stream(v.split("(?<!\\\\),")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(java.util.List.of());
    }

    /** Whether the run guards watch runs at all. */
    public boolean guardsEnabled() { return guardsEnabled; }
    /** The same tool with the same arguments this many times in one run is a loop; 0: off. */
    public int guardsSameToolCalls() { return guardsSameToolCalls; }
    /** The same hand-off cycle this many times in one run is a loop; 0: off. */
    public int guardsHandoffCycles() { return guardsHandoffCycles; }
    /** One agent's model calls in one run beyond this are a loop; 0: off. */
    public int guardsModelCallsPerAgent() { return guardsModelCallsPerAgent; }
    /** A run's cost limit in USD; 0: none. */
    public java.math.BigDecimal guardsMaxRunCostUsd() { return guardsMaxRunCostUsd; }
    /** A run's limit of input plus output tokens; 0: none. */
    public long guardsMaxRunTokens() { return guardsMaxRunTokens; }
    /** The share of a budget limit at which a warning comes first. */
    public java.math.BigDecimal guardsBudgetWarningRatio() { return guardsBudgetWarningRatio; }
    /** A running trace with nothing heard and nothing in flight for this long is silent; zero: off. */
    public Duration guardsSilentAfter() { return guardsSilentAfter; }
    /** Failed steps that make a burst; 0: off. */
    public int guardsErrorBurstSteps() { return guardsErrorBurstSteps; }
    /** ... within this long of each other. */
    public Duration guardsErrorBurstWindow() { return guardsErrorBurstWindow; }
    /** A running trace older than this has run too long; zero: off. */
    public Duration guardsMaxRunDuration() { return guardsMaxRunDuration; }
    /** Other thresholds per trace prefix ({@code "prefix: key=value ...; ..."}); empty for none. */
    public String guardsOverrides() { return guardsOverrides.orElse(""); }
    /** How often the time-based guards look. */
    public Duration guardsCheckEvery() { return guardsCheckEvery; }
    /** Runs one instance watches at once. */
    public int guardsMaxRuns() { return guardsMaxRuns; }
    /** An ended, quiet run's guards are forgotten after this long. */
    public Duration guardsForgetAfter() { return guardsForgetAfter; }

    /** The Alertmanager run alerts are posted to; empty: not posted. */
    public Optional<String> alertmanagerUrl() { return nonBlank(alertmanagerUrl); }
    /** Where users reach Trace Stream, for the links in alerts. */
    public String alertmanagerPublicUrl() { return alertmanagerPublicUrl.trim(); }
    /** Where the runbooks are, for the links in alerts. */
    public String alertmanagerRunbookUrl() { return alertmanagerRunbookUrl.trim(); }
    /** Open findings are posted again this often. */
    public Duration alertmanagerRepostEvery() { return alertmanagerRepostEvery; }
    /** The longest a post waits for Alertmanager. */
    public Duration alertmanagerTimeout() { return alertmanagerTimeout; }
}
