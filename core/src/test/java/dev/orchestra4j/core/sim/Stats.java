package dev.orchestra4j.core.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of what the simulated cases exercised, printed with the summary so a reader sees what was covered. */
final class Stats {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    void add(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    long count(String what) {
        AtomicLong n = counts.get(what);
        return n == null ? 0 : n.get();
    }

    @Override
    public String toString() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.get()));
        return sorted.toString();
    }
}
