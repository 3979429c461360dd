package io.tracestream.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
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
     *
     * @param replicas when above 0, the answer waits ({@code WAIT}) until that many replicas have the
     *                 script's writes, and fails when they do not within {@code timeout}
     */
    CompletionStage<List<Object>> runAsync(RedissonClient redis, int replicas, Duration timeout, List<Object> keys,
                                           Object... args) {
        RScript script = redis.getScript(StringCodec.INSTANCE);
        Function<String, CompletionStage<List<Object>>> evaluate = replicas <= 0
                ? s -> script.<List<Object>>evalShaAsync(RScript.Mode.READ_WRITE, s, RScript.ReturnType.LIST, keys, args)
                : s -> replicated(redis, replicas, timeout, s, keys, args);
        String known = sha;
        CompletionStage<String> loaded = known != null ? CompletableFuture.completedFuture(known)
                : script.scriptLoadAsync(source).thenApply(s -> sha = s);
        return loaded.thenCompose(evaluate)
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof RedisException && String.valueOf(cause.getMessage()).contains("NOSCRIPT")) {
                        return script.scriptLoadAsync(source).thenCompose(s -> {
                            sha = s;
                            return evaluate.apply(s);
                        });
                    }
                    return CompletableFuture.<List<Object>>failedFuture(cause);
                })
                .thenCompose(stage -> stage);
    }

    /** The script and a {@code WAIT replicas timeout} in one batch on one connection. */
    @SuppressWarnings("unchecked")
    private static CompletionStage<List<Object>> replicated(RedissonClient redis, int replicas, Duration timeout, String sha,
                                                           List<Object> keys, Object... args) {
        RBatch batch = redis.createBatch(BatchOptions.defaults().sync(replicas, timeout)
                .responseTimeout(timeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS));
        batch.getScript(StringCodec.INSTANCE).evalShaAsync(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        return batch.executeAsync().thenApply(result -> {
            if (result.getSyncedSlaves() < replicas) {
                throw new RedisException(result.getSyncedSlaves() + " of the " + replicas
                        + " replicas asked for (tracestream.redis.min-replicas) confirmed the write within " + timeout);
            }
            return (List<Object>) result.getResponses().get(0);
        });
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
