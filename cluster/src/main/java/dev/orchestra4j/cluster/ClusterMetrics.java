package dev.orchestra4j.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for a cluster node: register it as the node's {@link ClusterListener} and bind it to a registry.
 * Counters: {@value #LEGS_STARTED}{@code {reason}}, {@value #LEGS_RELEASED}{@code {status}}, {@value #RECOVERIES},
 * {@value #OWNERSHIP_LOST} and {@value #INBOX_APPLIED}{@code {kind}}, each tagged {@code worker}.
 */
public final class ClusterMetrics implements ClusterListener, MeterBinder {

    public static final String LEGS_STARTED = "orchestra.cluster.legs.started";
    public static final String LEGS_RELEASED = "orchestra.cluster.legs.released";
    public static final String RECOVERIES = "orchestra.cluster.recoveries";
    public static final String OWNERSHIP_LOST = "orchestra.cluster.ownership.lost";
    public static final String INBOX_APPLIED = "orchestra.cluster.inbox.applied";
    public static final String TAG_WORKER = "worker";
    public static final String TAG_REASON = "reason";
    public static final String TAG_STATUS = "status";
    public static final String TAG_KIND = "kind";

    private final AtomicReference<@Nullable MeterRegistry> registry = new AtomicReference<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Override
    public void bindTo(MeterRegistry value) {
        registry.set(value);
    }

    @Override
    public void onEvent(ClusterEvent event) {
        switch (event) {
            case ClusterEvent.LegStarted e -> count(LEGS_STARTED, e.workerId(), TAG_REASON, e.reason());
            case ClusterEvent.LegReleased e -> count(LEGS_RELEASED, e.workerId(), TAG_STATUS, e.status());
            case ClusterEvent.SessionRecovered e -> count(RECOVERIES, e.detectedBy(), null, null);
            case ClusterEvent.OwnershipLost e -> count(OWNERSHIP_LOST, e.workerId(), null, null);
            case ClusterEvent.InboxApplied e -> count(INBOX_APPLIED, e.workerId(), TAG_KIND, e.kind());
        }
    }

    private void count(String name, String worker, @Nullable String tag, @Nullable String value) {
        MeterRegistry r = registry.get();
        if (r == null) {
            return;
        }
        String key = name + '|' + worker + '|' + tag + '|' + value;
        counters.computeIfAbsent(key, k -> {
                    Counter.Builder b = Counter.builder(name).tag(TAG_WORKER, worker);
                    if (tag != null && value != null) {
                        b.tag(tag, value);
                    }
                    return b.register(r);
                })
                .increment();
    }
}
