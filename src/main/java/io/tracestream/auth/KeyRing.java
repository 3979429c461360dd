package io.tracestream.auth;

import io.tracestream.domain.JsonFactories;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * STAND-IN for the browser branch only: the configured keys ({@code tracestream.auth.keys}, a JSON
 * array of {@code {"name","sha256","scopes","trace_prefixes"}}), just enough for the sign-in page.
 * The auth branch's {@code KeyRing} (keys file, rotation, limits) replaces this file whole; only
 * {@link #lookup} is relied on.
 */
@ApplicationScoped
public class KeyRing {

    private final List<Entry> entries = new ArrayList<>();

    private record Entry(String name, byte[] sha256, Set<Scope> scopes, List<String> prefixes) {}

    KeyRing() {
        // for CDI's proxy
    }

    @Inject
    KeyRing(@ConfigProperty(name = "tracestream.auth.keys") Optional<String> keys) {
        keys.filter(k -> !k.isBlank()).ifPresent(this::parse);
    }

    private void parse(String json) {
        JsonArray array;
        try (JsonReader reader = JsonFactories.reader(new StringReader(json))) {
            array = reader.readArray();
        }
        for (JsonValue value : array) {
            JsonObject o = value.asJsonObject();
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (JsonString s : o.getJsonArray("scopes").getValuesAs(JsonString.class)) {
                scopes.add(Scope.valueOf(s.getString().toUpperCase(java.util.Locale.ROOT)));
            }
            List<String> prefixes = new ArrayList<>();
            if (o.containsKey("trace_prefixes")) {
                o.getJsonArray("trace_prefixes").getValuesAs(JsonString.class).forEach(p -> prefixes.add(p.getString()));
            }
            entries.add(new Entry(o.getString("name"), HexFormat.of().parseHex(o.getString("sha256")), scopes, prefixes));
        }
    }

    /** The access of the key presented; empty for an unknown key. Compared in constant time. */
    public Optional<Access> lookup(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presentedKey);
        Access found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.sha256(), hash) && found == null) {
                found = new Access(e.name(), e.scopes(), e.prefixes(), Instant.MAX);
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
