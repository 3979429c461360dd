package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketLetsTheBurstThroughThenRefusesUntilRefilled() {
        TokenBucket bucket = new TokenBucket(10, 20, 0);
        assertEquals(0, bucket.take(20, 0), "the burst at once");
        long wait = bucket.take(5, 0);
        assertEquals(SECOND / 2, wait, "5 events at 10/s: half a second");
        assertEquals(0, bucket.take(5, SECOND / 2));
        assertTrue(bucket.take(1, SECOND / 2) > 0, "empty again");
    }

    @Test
    void aRefusedRequestTakesNothing() {
        TokenBucket bucket = new TokenBucket(1, 10, 0);
        bucket.take(8, 0);
        assertTrue(bucket.take(5, 0) > 0);
        assertEquals(0, bucket.take(2, 0), "the refused 5 were not taken");
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(100, 10, 0);
        assertEquals(0, bucket.take(10, 3600 * SECOND));
        assertTrue(bucket.take(1, 3600 * SECOND) > 0, "an hour idle does not save up more than the burst");
    }

    @Test
    void aBatchLargerThanTheBurstPassesOnAFullBucketAndLeavesItInDebt() {
        TokenBucket bucket = new TokenBucket(10, 10, 0);
        assertEquals(0, bucket.take(30, 0), "refusing it for ever would help nobody");
        assertEquals(3 * SECOND, bucket.take(10, 0), "20 owed plus 10 wanted at 10/s");
        assertEquals(0, bucket.take(10, 3 * SECOND));
    }

    @Test
    void askingHowLongToWaitTakesNothing() {
        TokenBucket bucket = new TokenBucket(1, 2, 0);
        assertEquals(0, bucket.waitFor(1, 0));
        assertEquals(0, bucket.waitFor(2, 0), "asking twice took nothing");
        assertEquals(0, bucket.take(2, 0));
        assertEquals(SECOND, bucket.waitFor(1, 0));
        assertEquals(SECOND / 2, bucket.waitFor(1, SECOND / 2));
        assertEquals(0, bucket.waitFor(1, SECOND));
    }

    @Test
    void aBucketNeedsAPositiveRateAndBurst() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 0, 0));
    }
}
