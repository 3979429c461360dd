package io.tracestream.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every setting of Trace Stream, read once through MicroProfile Config. Defaults live in
 * {@code META-INF/microprofile-config.properties}; README.md lists each key and its environment
 * variable.
 */
@ApplicationScoped
public class TraceStreamConfig {

    @Inject @ConfigProperty(name = "tracestream.redis.url")
    Optional<String> redisUrl;
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
    @Inject @ConfigProperty(name = "tracestream.sse.writer-threads")
    int writerThreads;
    @Inject @ConfigProperty(name = "tracestream.sse.list-interval")
    Duration listInterval;

    @Inject @ConfigProperty(name = "tracestream.http.allow-origin")
    Optional<String> allowOrigin;

    @Inject @ConfigProperty(name = "tracestream.demo.enabled")
    boolean demoEnabled;
    @Inject @ConfigProperty(name = "tracestream.demo.speed")
    double demoSpeed;

    @Inject @ConfigProperty(name = "tracestream.log.format")
    String logFormat;

    /** The Redis URL, or empty for the in-memory backend. */
    public Optional<String> redisUrl() {
        return redisUrl.map(String::trim).filter(s -> !s.isEmpty());
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
    public int maxBatch() { return maxBatch; }
    public int maxBodyBytes() { return maxBodyBytes; }
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
    /** How many traces' summaries each instance keeps folded in memory. */
    public int summaryCacheSize() { return summaryCacheSize; }
    /** Events the cached summaries of span traces may keep in all, to fold again when spans arrive out of order. */
    public long summaryMaxKeptEvents() { return summaryMaxKeptEvents; }
    /** Prices per million tokens: {@code model=input/output,...}; empty when none is configured. */
    public String modelPrices() { return modelPrices.orElse(""); }
    public Duration sseRetry() { return sseRetry; }
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
    /** The Access-Control-Allow-Origin answered to browsers; empty for none. */
    public String allowOrigin() { return allowOrigin.map(String::trim).orElse(""); }
    /** Play the demo workflow once at start, for a dashboard that is alive at first sight. */
    public boolean demoEnabled() { return demoEnabled; }
    /** How fast the demo plays: 1.0 is the recorded workflow's own pace, 2.0 twice as fast. */
    public double demoSpeed() { return demoSpeed; }
}
