package io.tracestream.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Small shared helpers of the fault tests: where things are, sleeping, waiting with a deadline. */
public final class Faults {

    private Faults() {}

    /** Maven's target/ (the WAR's folder); Payara's root dirs, logs and the report go there. */
    static Path targetDir() {
        Path dir = war().toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }

    static Path war() {
        Path war = Path.of(System.getProperty("tracestream.war", "target/trace-stream.war"));
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " not found: the fault tests run after `mvn package` (mvn verify)");
        }
        return war;
    }

    static Path microJar() {
        Path jar = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: the fault tests run after `mvn package` (mvn verify)");
        }
        return jar;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            sleep(100);
        }
    }

    /** Like {@link #await} but answers whether it held, and how long it took when it did. */
    static long awaitMillis(Duration timeout, BooleanSupplier condition) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            sleep(50);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
