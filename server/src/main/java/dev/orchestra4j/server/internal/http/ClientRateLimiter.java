package dev.orchestra4j.server.internal.http;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/** A token bucket per client address: {@code perSecond} requests a second on average, bursts up to {@code burst}. */
public final class ClientRateLimiter {

    private static final int MAX_CLIENTS = 10_000;

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(double perSecond, double burst, Clock clock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException(
                    "rate limit must be positive with a burst of at least 1, was " + perSecond + "/s burst " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes one token for {@code client}; false when the client has none left. */
    public boolean tryAcquire(String client) {
        if (buckets.size() > MAX_CLIENTS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(client, c -> new Bucket(burst, clock.millis()))
                .take(clock.millis());
    }

    private final class Bucket {
        private final ReentrantLock lock = new ReentrantLock();
        private double tokens;
        private long lastMillis;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastMillis = now;
        }

        boolean take(long now) {
            lock.lock();
            try {
                tokens = Math.min(burst, tokens + (now - lastMillis) * perSecond / 1000.0);
                lastMillis = Math.max(lastMillis, now);
                if (tokens < 1) {
                    return false;
                }
                tokens -= 1;
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}
