package io.tracestream.store.memory;

import java.time.Clock;

/**
 * Mints ids of the Redis Streams form {@code <millis>-<seq>}, strictly increasing even when the
 * clock stands still or steps back, as Redis does.
 */
final class IdSequence {

    private final Clock clock;
    private long lastMillis;
    private long sequence;

    IdSequence(Clock clock) {
        this.clock = clock;
    }

    synchronized String next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else {
            sequence++;
        }
        return lastMillis + "-" + sequence;
    }
}
