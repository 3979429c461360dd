package io.tracestream.stream.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

/**
 * A Lua script kept next to this class, run by its SHA so each call sends only its arguments.
 * Redis forgets scripts when it restarts; then the script is loaded again and the call retried.
 */
final class LuaScript {

    private final String source;
    private volatile String sha;

    LuaScript(String resourceName) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resourceName)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resourceName);
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Object> run(RedissonClient redis, List<Object> keys, Object... args) {
        RScript script = redis.getScript(StringCodec.INSTANCE);
        if (sha == null) {
            sha = script.scriptLoad(source);
        }
        try {
            return script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        } catch (RedisException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            sha = script.scriptLoad(source);
            return script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        }
    }
}
