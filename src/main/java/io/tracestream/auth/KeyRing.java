package io.tracestream.auth;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The configured API keys: those of {@code tracestream.auth.keys} and those of
 * {@code tracestream.auth.keys-file}, which is read again when it changes (its modification time
 * or size, looked at no more than once per {@link #RELOAD_CHECK}), so keys rotate without a
 * restart. A file that turns out broken keeps the last good keys and says so once in the log.
 * A configuration that is broken at start fails the deployment: running with fewer keys than the
 * operator wrote, or none, would be a surprise in either direction.
 */
@ApplicationScoped
public class KeyRing {

    /** How often, at most, the keys file's modification time is looked at (on use). */
    static final Duration RELOAD_CHECK = Duration.ofSeconds(1);
    static final String KEYS = "tracestream.auth.keys";
    static final String KEYS_FILE = "tracestream.auth.keys-file";
    private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());

    @Inject
    TraceStreamConfig config;

    private List<ApiKey> inline = List.of();
    private Path file;
    private volatile List<ApiKey> keys = List.of();
    private volatile long nextCheckNanos;
    /** Modification time and size of the file version read last (good or broken). */
    private volatile String fileVersion;

    @PostConstruct
    void init() {
        try {
            load(config.authKeys().orElse(null), config.authKeysFile().map(Path::of).orElse(null));
        } catch (KeyConfigException e) {
            LOG.severe("The API keys cannot be used, so the application does not start: " + e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** For tests: keys from this JSON and this file, as the configuration would give them. */
    static KeyRing of(String keysJson, Path keysFile) throws KeyConfigException {
        KeyRing ring = new KeyRing();
        ring.load(keysJson, keysFile);
        return ring;
    }

    private void load(String keysJson, Path keysFile) throws KeyConfigException {
        inline = keysJson == null || keysJson.isBlank() ? List.of() : ApiKeyParser.parse(KEYS, keysJson);
        file = keysFile;
        List<ApiKey> all = new ArrayList<>(inline);
        if (file != null) {
            String version = version(file);
            all = combine(inline, read(file));
            fileVersion = version;
        }
        keys = List.copyOf(all);
        nextCheckNanos = System.nanoTime() + RELOAD_CHECK.toNanos();
    }

    /** The access the presented key gives; empty for a key that is not configured. */
    public Optional<Access> lookup(String presentedKey) {
        return find(presentedKey).map(ApiKey::access);
    }

    /**
     * The configured key {@code presentedKey} is. Its SHA-256 is compared with every entry's, each
     * comparison in constant time and all of them made, so the answer's timing tells nothing.
     */
    public Optional<ApiKey> find(String presentedKey) {
        byte[] digest = sha256(presentedKey);
        ApiKey found = null;
        for (ApiKey key : current()) {
            if (key.matches(digest) && found == null) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The key of this name, for its limits. */
    public Optional<ApiKey> byName(String name) {
        return current().stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** Whether any key is configured: then every request needs one. */
    public boolean configured() {
        return !current().isEmpty();
    }

    /** The names of the keys, for the log; never the keys. */
    public List<String> names() {
        return current().stream().map(ApiKey::name).toList();
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private List<ApiKey> current() {
        if (file != null && System.nanoTime() - nextCheckNanos >= 0) {
            reloadIfChanged();
        }
        return keys;
    }

    /** Package-private for tests: look at the file now, whatever the time since the last look. */
    synchronized void reloadIfChanged() {
        nextCheckNanos = System.nanoTime() + RELOAD_CHECK.toNanos();
        String version;
        try {
            version = version(file);
        } catch (KeyConfigException e) {
            version = "missing";
            if (!version.equals(fileVersion)) {
                fileVersion = version;
                LOG.warning("Keeping the last good API keys: " + e.getMessage());
            }
            return;
        }
        if (version.equals(fileVersion)) {
            return;
        }
        fileVersion = version;
        try {
            List<ApiKey> next = combine(inline, read(file));
            keys = List.copyOf(next);
            LOG.info("API keys re-read from " + file + ": " + next.size() + " keys (" + String.join(", ", names(next)) + ")");
        } catch (KeyConfigException e) {
            // Once per broken version of the file, not once per request.
            LOG.warning("Keeping the last good API keys: " + e.getMessage());
        }
    }

    private static List<String> names(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::name).toList();
    }

    private static List<ApiKey> read(Path file) throws KeyConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new KeyConfigException(KEYS_FILE + " " + file + " cannot be read: " + e);
        }
        return ApiKeyParser.parse(KEYS_FILE + " " + file, text);
    }

    private static String version(Path file) throws KeyConfigException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toString() + "/" + attributes.size();
        } catch (IOException | RuntimeException e) {
            throw new KeyConfigException(KEYS_FILE + " " + file + " cannot be read: " + e);
        }
    }

    private static List<ApiKey> combine(List<ApiKey> inline, List<ApiKey> fromFile) throws KeyConfigException {
        Set<String> names = new HashSet<>();
        inline.forEach(k -> names.add(k.name()));
        for (ApiKey k : fromFile) {
            if (!names.add(k.name())) {
                throw new KeyConfigException("key \"" + k.name() + "\" is in both " + KEYS + " and " + KEYS_FILE
                        + "; a name may be used once");
            }
        }
        List<ApiKey> all = new ArrayList<>(inline);
        all.addAll(fromFile);
        return all;
    }
}
