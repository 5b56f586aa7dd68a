package dev.orchestra4j.metrics.internal;

import dev.orchestra4j.metrics.MetricNames;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits at most {@code max} distinct values of one tag; every later newcomer is reported as {@link MetricNames#OTHER}.
 * Values admitted once stay admitted, so a series never changes its tag mid-flight. The first refusal is logged at WARN.
 */
public final class CappedTagValues {

    private static final Logger log = LoggerFactory.getLogger(CappedTagValues.class);

    private final String tagKey;
    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean warned;

    public CappedTagValues(String tagKey, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, was " + max);
        }
        this.tagKey = tagKey;
        this.max = max;
    }

    /** The tag value to use for {@code raw}: itself while it fits under the cap, else {@code "other"}. */
    public String valueOf(String raw) {
        if (admitted.contains(raw)) {
            return raw;
        }
        lock.lock();
        try {
            if (admitted.contains(raw) || admitted.size() < max && admitted.add(raw)) {
                return raw;
            }
            if (!warned) {
                warned = true;
                log.warn(
                        "More than {} distinct values of tag '{}'; '{}' and later newcomers are recorded as '{}'",
                        max,
                        tagKey,
                        raw,
                        MetricNames.OTHER);
            }
            return MetricNames.OTHER;
        } finally {
            lock.unlock();
        }
    }
}
