package io.tracestream.wiring;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What {@code tracestream.redis.url} says: {@code redis://[user:password@]host:port[/db]}, or
 * {@code rediss://} for TLS. The credentials are kept apart from the address, so that the address
 * can be logged and the password never is.
 *
 * @param username null when the URL names none (the {@code default} user)
 * @param password null when the URL names none
 */
record RedisEndpoint(boolean tls, String host, int port, int database, String username, String password) {

    static final int DEFAULT_PORT = 6379;

    /** @throws IllegalArgumentException saying what is wrong, without the password */
    static RedisEndpoint parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("tracestream.redis.url is not a URL such as redis://host:6379 (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("tracestream.redis.url must start with redis:// or rediss:// (TLS), not " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("tracestream.redis.url names no host: redis://host:6379 expected");
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            if (parts.length == 2) {
                username = parts[0].isEmpty() ? null : decode(parts[0]);
                password = decode(parts[1]);
            } else {
                password = decode(parts[0]); // redis://secret@host: a password alone, as Redis 5 and earlier had
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("tracestream.redis.url's path must be a database number such as /0");
            }
        }
        return new RedisEndpoint(scheme.equals("rediss"), uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                database, username, password);
    }

    /** The same address with these credentials (from their own keys, which win over the URL's). */
    RedisEndpoint withCredentials(String username, String password) {
        return new RedisEndpoint(tls, host, port, database, username, password);
    }

    /** The address as Redisson takes it: scheme, host and port, no credentials. */
    String address() {
        return (tls ? "rediss://" : "redis://") + hostAndPort();
    }

    private String hostAndPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** For logs: the address, the user, whether a password is set; never the password. */
    String describe() {
        return address() + (database == 0 ? "" : "/" + database)
                + (username == null ? "" : " as user " + username) + (password == null ? "" : " with a password");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
