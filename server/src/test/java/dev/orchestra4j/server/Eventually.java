package dev.orchestra4j.server;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls an HTTP-visible condition until it holds. The server is a separate concurrent system observed over the wire,
 * so tests wait for what a client would see, with a deadline, rather than sleeping a fixed time.
 */
final class Eventually {

    private Eventually() {}

    static <T> T await(String what, Supplier<T> probe, java.util.function.Predicate<T> done) {
        return await(what, Duration.ofSeconds(20), probe, done);
    }

    static <T> T await(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            last = probe.get();
        }
        return last;
    }
}
