package io.tracestream.domain;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * JSON text read through a check of its nesting depth: the read fails with {@link TooDeep} as soon
 * as arrays and objects open more than {@code maxDepth} levels deep, before the parser is handed the
 * characters that would take it there.
 *
 * <p>Why before the parser: JSON-P builds a document by recursion, one stack frame per level, and
 * its implementations either overflow the stack or stop at a limit of their own with an exception
 * of no documented type (Parsson: a bare {@code RuntimeException} at 1,000 levels). Counting the
 * brackets outside strings on the way in costs one comparison per character, needs no second pass
 * over the body, and makes the limit ours: the same for every JSON-P implementation, configurable,
 * and reported as the client's fault. A body that is not JSON at all may be counted wrong; the
 * parser refuses it anyway.
 */
public final class JsonNestingLimit extends FilterReader {

    /** The body nests deeper than the limit; carried as the cause of the parser's exception. */
    public static final class TooDeep extends IOException {
        private final int maxDepth;

        TooDeep(int maxDepth) {
            super("JSON nested deeper than " + maxDepth + " levels", null);
            this.maxDepth = maxDepth;
        }

        public int maxDepth() {
            return maxDepth;
        }
    }

    private final int maxDepth;
    private int depth;
    private boolean inString;
    private boolean escaped;

    public JsonNestingLimit(Reader in, int maxDepth) {
        super(in);
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
        }
        this.maxDepth = maxDepth;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            see((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = off; i < off + n; i++) {
            see(buf[i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped characters would not be counted: read them instead.
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    /** Characters read again after a reset would be counted twice. */
    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readAheadLimit) throws IOException {
        throw new IOException("mark is not supported");
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("reset is not supported");
    }

    private void see(char c) throws TooDeep {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            return;
        }
        switch (c) {
            case '"' -> inString = true;
            case '[', '{' -> {
                if (++depth > maxDepth) {
                    throw new TooDeep(maxDepth);
                }
            }
            case ']', '}' -> depth--;
            default -> { }
        }
    }
}
