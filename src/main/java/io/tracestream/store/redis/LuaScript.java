package io.tracestream.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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

    /**
     * Runs the script without blocking the caller; the answer completes on a Redisson thread. A
     * Redis that forgot the script gets it again first.
     */
    CompletionStage<List<Object>> runAsync(RedissonClient redis, List<Object> keys, Object... args) {
        RScript script = redis.getScript(StringCodec.INSTANCE);
        String known = sha;
        CompletionStage<String> loaded = known != null ? CompletableFuture.completedFuture(known)
                : script.scriptLoadAsync(source).thenApply(s -> sha = s);
        return loaded.thenCompose(s -> script.<List<Object>>evalShaAsync(RScript.Mode.READ_WRITE, s, RScript.ReturnType.LIST, keys, args))
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof RedisException && String.valueOf(cause.getMessage()).contains("NOSCRIPT")) {
                        return script.scriptLoadAsync(source).thenCompose(s -> {
                            sha = s;
                            return script.<List<Object>>evalShaAsync(RScript.Mode.READ_WRITE, s, RScript.ReturnType.LIST, keys, args);
                        });
                    }
                    return CompletableFuture.<List<Object>>failedFuture(cause);
                })
                .thenCompose(stage -> stage);
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
