package io.tracestream.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisWrongPasswordException;
import org.junit.jupiter.api.Test;

class FanoutReaderTest {

    /** As Redisson 4.7 reports a refused AUTH: three wrappers deep under "Unable to connect". */
    @Test
    void aRefusedPasswordDeepInRedissonsWrappersIsNamedAsTheCredentials() {
        RedisException refused = new RedisConnectionException("java.util.concurrent.ExecutionException: ...",
                new ExecutionException(new RedisConnectionException("Unable to connect to Redis server: 127.0.0.1/127.0.0.1:6379",
                        new CompletionException(new RedisWrongPasswordException(
                                "WRONGPASS invalid username-password pair or user is disabled.. params: (password masked)")))));
        assertTrue(FanoutReader.why(refused).startsWith("Redis refused this instance's credentials"), FanoutReader.why(refused));
    }

    @Test
    void aRefusedCertificateIsNamedAsTheTlsHandshake() {
        RedisException refused = new RedisConnectionException("Unable to connect to Redis server: 127.0.0.1/127.0.0.1:6379",
                new CompletionException(new SSLHandshakeException("PKIX path building failed")));
        assertTrue(FanoutReader.why(refused).startsWith("The TLS handshake with Redis failed"), FanoutReader.why(refused));
    }

    @Test
    void anythingElseIsRedisUnreachable() {
        assertEquals("Redis unreachable", FanoutReader.why(new RedisConnectionException("Connection refused")));
    }
}
