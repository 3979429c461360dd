package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WrongKeyThrottleTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void anAddressMayPresentTheBurstOfWrongKeysThenOneASecond() {
        WrongKeyThrottle throttle = WrongKeyThrottle.of(10, 1);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, throttle.waitNanos("192.0.2.7", 0), "wrong key " + i);
            throttle.failed("192.0.2.7", 0);
        }
        assertEquals(SECOND, throttle.waitNanos("192.0.2.7", 0));
        assertEquals(0, throttle.waitNanos("192.0.2.8", 0), "another address has its own allowance");
        assertEquals(0, throttle.waitNanos("192.0.2.7", SECOND), "one more a second later");
        throttle.failed("192.0.2.7", SECOND);
        assertEquals(SECOND, throttle.waitNanos("192.0.2.7", SECOND));
        assertEquals(0, throttle.waitNanos("192.0.2.7", 11 * SECOND), "the whole burst back after ten quiet seconds");
    }

    @Test
    void anIpv6AddressCountsByItsSlash64() {
        WrongKeyThrottle throttle = WrongKeyThrottle.of(1, 1);
        throttle.failed("2001:db8:0:0:0:0:0:1", 0);
        assertTrue(throttle.waitNanos("2001:db8::2", 0) > 0, "the same /64, written otherwise");
        assertTrue(throttle.waitNanos("2001:DB8::ffff:1", 0) > 0);
        assertEquals(0, throttle.waitNanos("2001:db8:0:1::1", 0), "the next /64");
        throttle.failed("192.0.2.7", 0);
        assertEquals(0, throttle.waitNanos("192.0.2.6", 0), "IPv4 counts by the whole address");
    }

    @Test
    void atMostSoManyAddressesAreRememberedTheLeastRecentlySeenForgottenFirst() {
        WrongKeyThrottle throttle = WrongKeyThrottle.of(1, 0.001);
        throttle.failed("198.51.100.1", 0);
        for (int i = 0; i < WrongKeyThrottle.ADDRESSES; i++) {
            throttle.failed("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), 0);
            if (i == WrongKeyThrottle.ADDRESSES / 2) {
                assertTrue(throttle.waitNanos("198.51.100.1", 0) > 0, "still remembered, and now seen again");
            }
        }
        assertEquals(WrongKeyThrottle.ADDRESSES, throttle.remembered());
        assertTrue(throttle.waitNanos("198.51.100.1", 0) > 0, "seen half-way: not the least recent");
        assertEquals(0, throttle.waitNanos("10.0.0.0", 0), "the least recently seen was forgotten");
    }

    @Test
    void aBurstOfZeroTurnsTheThrottleOffAndARateOfZeroIsRefused() {
        WrongKeyThrottle off = WrongKeyThrottle.of(0, 0);
        for (int i = 0; i < 100; i++) {
            off.failed("192.0.2.7", 0);
        }
        assertEquals(0, off.waitNanos("192.0.2.7", 0));
        assertEquals(0, off.remembered());
        assertThrows(IllegalStateException.class, () -> WrongKeyThrottle.of(10, 0), "an address would be shut out for good");
    }
}
