package io.tracestream.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void readsUserPasswordHostPortAndDatabase() {
        RedisEndpoint e = RedisEndpoint.parse("redis://ingest:s3cr%40t@redis.internal:6380/2");
        assertFalse(e.tls());
        assertEquals("redis.internal", e.host());
        assertEquals(6380, e.port());
        assertEquals(2, e.database());
        assertEquals("ingest", e.username());
        assertEquals("s3cr@t", e.password(), "percent-encoded characters are decoded");
        assertEquals("redis://redis.internal:6380", e.address(), "the address carries no credentials");
    }

    @Test
    void aPasswordAloneAndTheDefaultPort() {
        RedisEndpoint e = RedisEndpoint.parse("rediss://:only-a-password@cache.example.com");
        assertTrue(e.tls());
        assertEquals(6379, e.port());
        assertNull(e.username());
        assertEquals("only-a-password", e.password());
        assertEquals("rediss://cache.example.com:6379", e.address());
    }

    @Test
    void theDescriptionForLogsNeverHoldsThePassword() {
        String description = RedisEndpoint.parse("redis://u:hunter2@h:1/3").describe();
        assertFalse(description.contains("hunter2"), description);
        assertTrue(description.contains("with a password") && description.contains("as user u"), description);
    }

    @Test
    void credentialsOfTheirOwnKeysReplaceTheUrlsAndAreDescribedWithoutThePassword() {
        RedisEndpoint e = RedisEndpoint.parse("redis://u:from-url@h:1").withCredentials("acl-user", "from-key");
        assertEquals("acl-user", e.username());
        assertEquals("from-key", e.password());
        assertEquals("redis://h:1 as user acl-user with a password", e.describe());
        assertEquals("redis://h:1", RedisEndpoint.parse("redis://h:1").withCredentials(null, null).describe());
    }

    @Test
    void refusesOtherSchemesAndSaysWhatIsExpectedWithoutThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisEndpoint.parse("http://u:hunter2@h:1"));
        assertTrue(e.getMessage().contains("redis://"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://h:1/notanumber"));
    }
}
