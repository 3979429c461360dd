package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {

    @TempDir
    Path dir;

    static String keys(String... nameAndKey) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < nameAndKey.length; i += 2) {
            json.append(i == 0 ? "" : ",").append(AccessControlTest.entry(nameAndKey[i], nameAndKey[i + 1], "\"read\"", ""));
        }
        return json.append(']').toString();
    }

    static void write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }

    @Test
    void aKeyIsFoundByItsHashAndAnyOtherIsNot() throws Exception {
        KeyRing ring = KeyRing.of(keys("a", "key-a", "b", "key-b"), null);
        assertEquals("b", ring.lookup("key-b").orElseThrow().name());
        assertEquals(Optional.empty(), ring.lookup("key-c"));
        assertEquals(Optional.empty(), ring.lookup(""));
        assertEquals(List.of("a", "b"), ring.names());
        assertTrue(ring.configured());
        assertTrue(!KeyRing.of("", null).configured());
    }

    @Test
    void theKeysFileIsReadAgainWhenItChangesSoKeysRotateWithoutARestart() throws Exception {
        Path file = dir.resolve("keys.json");
        write(file, keys("old", "key-old"), 0);
        KeyRing ring = KeyRing.of(keys("inline", "key-inline"), file);
        assertTrue(ring.lookup("key-old").isPresent());
        assertTrue(ring.lookup("key-inline").isPresent());

        write(file, keys("old", "key-old", "new", "key-new"), 2); // both during the switch
        ring.reloadIfChanged();
        assertTrue(ring.lookup("key-old").isPresent());
        assertTrue(ring.lookup("key-new").isPresent());

        write(file, keys("new", "key-new"), 4);
        ring.reloadIfChanged();
        assertEquals(Optional.empty(), ring.lookup("key-old"));
        assertTrue(ring.lookup("key-new").isPresent());
        assertTrue(ring.lookup("key-inline").isPresent(), "the inline keys stay");
    }

    @Test
    void aBrokenOrMissingFileKeepsTheLastGoodKeys() throws Exception {
        Path file = dir.resolve("keys.json");
        write(file, keys("good", "key-good"), 0);
        KeyRing ring = KeyRing.of("", file);
        write(file, "[{\"name\":\"half", 2);
        ring.reloadIfChanged();
        assertTrue(ring.lookup("key-good").isPresent());
        Files.delete(file);
        ring.reloadIfChanged();
        assertTrue(ring.lookup("key-good").isPresent());
        write(file, keys("next", "key-next"), 6);
        ring.reloadIfChanged();
        assertTrue(ring.lookup("key-next").isPresent(), "a good file after a broken one is taken");
    }

    @Test
    void aBrokenConfigurationAtStartIsAnErrorNamingTheEntry() throws Exception {
        KeyConfigException e = assertThrows(KeyConfigException.class, () -> KeyRing.of("[{\"name\":\"ci\"}]", null));
        assertTrue(e.getMessage().contains("tracestream.auth.keys entry 0 (\"ci\")"), e.getMessage());
        assertThrows(KeyConfigException.class, () -> KeyRing.of("", dir.resolve("missing.json")));
        Path file = dir.resolve("keys.json");
        write(file, keys("twice", "key-1"), 0);
        KeyConfigException both = assertThrows(KeyConfigException.class, () -> KeyRing.of(keys("twice", "key-2"), file));
        assertTrue(both.getMessage().contains("\"twice\" is in both"), both.getMessage());
    }
}
