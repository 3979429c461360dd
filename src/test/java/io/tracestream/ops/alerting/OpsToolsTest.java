package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The helpers fail loudly: a missing tool or a failing command is a test failure, never a skip. */
class OpsToolsTest {

    @Test
    void aMissingToolFailsNamingItsDebianPackage() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Ops.require("promtool-that-does-not-exist", "prometheus"));
        assertTrue(e.getMessage().contains("apt-get install -y prometheus"), e.getMessage());
    }

    @Test
    void aFailingCommandFailsWithItsOutput() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Ops.runOk(Ops.root(), List.of("sh", "-c", "echo broken-config; exit 3")));
        assertTrue(e.getMessage().contains("exit code 3") && e.getMessage().contains("broken-config"), e.getMessage());
    }

    @Test
    void theRepositoryLayoutIsFound() {
        assertEquals(Ops.root().resolve("alerting"), Ops.alerting());
        assertTrue(Ops.ruleFiles().size() >= 3, "rule files: " + Ops.ruleFiles());
    }
}
