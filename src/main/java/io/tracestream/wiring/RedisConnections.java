package io.tracestream.wiring;

import io.tracestream.config.TraceStreamConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.SslVerificationMode;

/**
 * How Redisson reaches Redis, from the configuration: one server named by {@code tracestream.redis.url}
 * ({@code redis://} or {@code rediss://}, credentials in it or in their own keys), or the master
 * the sentinels of {@code tracestream.redis.sentinels} name; TLS with a CA file and a client
 * certificate when asked. Timeouts are short and there are no retries, so that ingest answers 503
 * within {@code tracestream.redis.timeout} rather than after a long retry budget.
 */
final class RedisConnections {

    private static final int MIN_IDLE_CONNECTIONS = 2;
    /**
     * Threads that run the live channels' messages (and Redisson's other listeners): one per core,
     * at least two. Redisson's default of 16 woke an idle thread for nearly every message, and on
     * two cores those hand-offs cost more than the writes they carried (2,000 events/s x 1,000
     * subscribers: 47.5 -> 43.5 us of CPU per delivery, same hour). A trace's messages still run
     * one at a time, in order.
     */
    private static final int LISTENER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /**
     * Reconnection attempts back off to at most this: short, so that once Redis is back every
     * instance's readers and ingest are back within about a second.
     */
    private static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    private static final Duration RECONNECT_MAX = Duration.ofMillis(500);
    private static final String PKCS12 = "PKCS12";

    private RedisConnections() {}

    /**
     * Sets up {@code redisson}'s servers, credentials, TLS and timeouts.
     *
     * @return where Redis is, for the log: no password in it
     * @throws IllegalArgumentException when the settings are wrong, saying which
     */
    static String configure(Config redisson, TraceStreamConfig config, String instanceId) {
        // Every script argument was checked for Redisson's object references (annotations looked
        // up per argument, per call): a few percent of the CPU of an OTLP export, for a feature
        // this store never uses.
        redisson.setReferenceEnabled(false);
        redisson.setThreads(LISTENER_THREADS);
        redisson.setNettyHook(new LargeReplyReads());
        if (config.redisSentinels().isPresent()) {
            return sentinels(redisson, config, instanceId);
        }
        RedisEndpoint url = RedisEndpoint.parse(config.redisUrl().orElseThrow());
        RedisEndpoint endpoint = url.withCredentials(config.redisUsername().orElse(url.username()),
                config.redisPassword().orElse(url.password()));
        var server = redisson.useSingleServer()
                .setAddress(endpoint.address())
                .setDatabase(endpoint.database())
                .setConnectionPoolSize(config.redisConnectionPoolSize())
                .setConnectionMinimumIdleSize(Math.min(MIN_IDLE_CONNECTIONS, config.redisConnectionPoolSize()))
                .setSubscriptionConnectionPoolSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1);
        common(server, config, instanceId);
        credentials(redisson, endpoint.username(), endpoint.password());
        if (endpoint.tls()) {
            tls(redisson, config);
        }
        return endpoint.describe() + (endpoint.tls() ? " (TLS)" : "");
    }

    private static String sentinels(Config redisson, TraceStreamConfig config, String instanceId) {
        List<String> addresses = Arrays.stream(config.redisSentinels().orElseThrow().split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> (config.redisTlsEnabled() ? "rediss://" : "redis://") + s).toList();
        var sentinels = redisson.useSentinelServers()
                .setMasterName(config.redisSentinelMaster())
                .setMasterConnectionPoolSize(config.redisConnectionPoolSize())
                .setMasterConnectionMinimumIdleSize(Math.min(MIN_IDLE_CONNECTIONS, config.redisConnectionPoolSize()))
                .setSlaveConnectionPoolSize(1)
                .setSlaveConnectionMinimumIdleSize(0)
                .setSubscriptionConnectionPoolSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1)
                // Reads and writes go to the master: a replica may not have the newest events yet.
                .setReadMode(org.redisson.config.ReadMode.MASTER)
                // Live channels too: the append script publishes only where the master counts a
                // subscriber (PUBSUB NUMSUB), and a replica's subscribers are not counted there.
                .setSubscriptionMode(org.redisson.config.SubscriptionMode.MASTER);
        sentinels.setSentinelAddresses(addresses);
        // The sentinels name the master and replicas by the addresses they know: accept them as given.
        sentinels.setCheckSentinelsList(false);
        config.redisSentinelUsername().ifPresent(sentinels::setSentinelUsername);
        config.redisSentinelPassword().ifPresent(sentinels::setSentinelPassword);
        common(sentinels, config, instanceId);
        credentials(redisson, config.redisUsername().orElse(null), config.redisPassword().orElse(null));
        if (config.redisTlsEnabled()) {
            tls(redisson, config);
        }
        return "the master \"" + config.redisSentinelMaster() + "\" of sentinels " + String.join(",", addresses)
                + config.redisUsername().map(u -> " as user " + u).orElse("")
                + (config.redisPassword().isPresent() ? " with a password" : "") + (config.redisTlsEnabled() ? " (TLS)" : "");
    }

    private static void common(BaseConfig<?> servers, TraceStreamConfig config, String instanceId) {
        int timeout = (int) config.redisTimeout().toMillis();
        // One pub/sub connection carries the live channels of every trace this instance streams:
        // Redisson's default of 5 channels per connection would need a connection per 5 traces.
        servers.setSubscriptionsPerConnection(Math.max(1, config.maxConnections()))
                .setTimeout(timeout)
                .setConnectTimeout(timeout)
                .setRetryAttempts(0)
                .setReconnectionDelay(new EqualJitterDelay(RECONNECT_MIN, RECONNECT_MAX))
                .setClientName("trace-stream:" + instanceId);
    }

    // Credentials and TLS are set on the Config, not on the servers' settings: Redisson 4 deprecated
    // the latter and writes a warning for each one set, at every start.
    private static void credentials(Config redisson, String username, String password) {
        if (username != null) {
            redisson.setUsername(username);
        }
        if (password != null) {
            redisson.setPassword(password);
        }
    }

    private static void tls(Config redisson, TraceStreamConfig config) {
        TlsFailureLogFilter.install();
        redisson.setSslVerificationMode(config.redisTlsVerifyHostname() ? SslVerificationMode.STRICT : SslVerificationMode.CA_ONLY);
        config.redisTlsCaFile().ifPresent(file -> redisson.setSslTrustManagerFactory(trustManagers(Path.of(file))));
        config.redisTlsKeystore().ifPresent(file -> redisson.setSslKeyManagerFactory(
                keyManagers(Path.of(file), config.redisTlsKeystorePassword().orElse("").toCharArray())));
    }

    /** Trusts the certificates of a PEM file (one or more), and nothing else. */
    static TrustManagerFactory trustManagers(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(PKCS12);
            store.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IllegalArgumentException("tracestream.redis.tls.ca-file " + pem + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException e) {
            throw new UncheckedIOException("tracestream.redis.tls.ca-file " + pem + " cannot be read", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tracestream.redis.tls.ca-file " + pem + " is not PEM certificates: " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(Path pkcs12, char[] password) {
        try (InputStream in = Files.newInputStream(pkcs12)) {
            KeyStore store = KeyStore.getInstance(PKCS12);
            store.load(in, password);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (IOException e) {
            throw new UncheckedIOException("tracestream.redis.tls.keystore " + pkcs12 + " cannot be read", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tracestream.redis.tls.keystore " + pkcs12 + " is not a PKCS#12 file this password opens", e);
        }
    }
}
