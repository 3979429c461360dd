package io.tracestream.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The log of the Payara Micro servers Arquillian starts. The container reads each server's
 * standard output and error and prints every line to this JVM's {@code System.out}; once
 * {@link #capture()} has run, a copy of what is printed is kept here as well. Call it before the
 * server starts: from a static initializer of the test class (it runs before the
 * {@code @Deployment} method, hence before the server).
 */
public final class ServerLog {

    private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static boolean installed;

    private ServerLog() {}

    /** Starts keeping a copy of this JVM's standard output; idempotent. */
    public static synchronized void capture() {
        if (installed) {
            return;
        }
        PrintStream original = System.out;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (COPY) {
                    COPY.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (COPY) {
                    COPY.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
        installed = true;
    }

    /** A position in the log, for {@link #since}. */
    public static int mark() {
        synchronized (COPY) {
            return COPY.size();
        }
    }

    /** Everything printed since {@code capture()}. */
    public static String text() {
        return since(0);
    }

    /** What was printed after {@code mark}, without the ANSI colour codes Payara puts in its own lines. */
    public static String since(int mark) {
        if (!installed) {
            throw new IllegalStateException("ServerLog.capture() was not called before the server started");
        }
        byte[] all;
        synchronized (COPY) {
            all = COPY.toByteArray();
        }
        return ANSI.matcher(new String(Arrays.copyOfRange(all, Math.min(mark, all.length), all.length), StandardCharsets.UTF_8))
                .replaceAll("");
    }

    public static List<String> linesSince(int mark) {
        return since(mark).lines().toList();
    }
}
