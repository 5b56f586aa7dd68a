package dev.orchestra4j.cluster.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.orchestra4j.cluster.ClusterEvent;
import dev.orchestra4j.cluster.ClusterListener;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster node: the tables, the inbox, the instances (each derived with this node's lease check), and — once
 * {@link #start()}ed — the db-scheduler that makes it a worker. Without {@code start()} it is a pure client.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /** The db-scheduler task every session row belongs to; its instance id is the session id. */
    public static final String TASK = "orchestra4j-session";

    final NodeConfig config;
    final Inbox inbox;
    final StateManager manager;
    final Leases leases = new Leases();
    final Map<String, OrchestraInstance> instances;
    private final CustomTask<String> task;
    private final ScheduledExecutorService timer;
    private volatile SchedulerClient client;
    /** Guards start and close (close drains for up to the drain timeout). */
    private final ReentrantLock lifecycle = new ReentrantLock();
    /** Written under {@link #lifecycle}, read anywhere (picking up soon, isWorker). */
    private volatile @Nullable Scheduler scheduler;

    private volatile @Nullable Notifier notifier;
    volatile boolean draining;

    public ClusterNode(NodeConfig config, StateManager manager) {
        this.config = config;
        this.manager = manager;
        this.inbox = new Inbox(config.dataSource(), config.tables());
        this.instances = derive(config.instances());
        config.tables().create(config.dataSource());
        this.task = Tasks.custom(TASK, String.class)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(config.heartbeat(), 1.5))
                .onDeadExecution(new Revival(config.workerId(), config.clock(), this::emit, this::pickUpSoon))
                .execute(new LegRunner(this));
        this.client = SchedulerClient.Builder.create(config.dataSource(), task)
                .tableName(config.tables().runs())
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("orchestra4j-cluster-timer").factory());
    }

    /** Each instance again, with this node's lease check and a hook that hands a starting leg its inbox. */
    private Map<String, OrchestraInstance> derive(Map<String, OrchestraInstance> templates) {
        Map<String, OrchestraInstance> derived = new LinkedHashMap<>();
        templates.forEach((name, template) -> derived.put(
                name,
                template.toBuilder()
                        .leaseCheck(leases::holds)
                        .listener(event -> {
                            if (event instanceof OrchestraEvent.RunStarted
                                    || event instanceof OrchestraEvent.RunResumed) {
                                timer.execute(() -> deliver(event.sessionId()));
                            }
                        })
                        .build()));
        return Map.copyOf(derived);
    }

    /** Makes this JVM a worker: it picks session rows, heartbeats them and revives those of dead workers. */
    public void start() {
        lifecycle.lock(); // a lock, not synchronized: close() blocks while it drains (a virtual thread would pin)
        try {
            startLocked();
        } finally {
            lifecycle.unlock();
        }
    }

    private void startLocked() {
        if (scheduler != null) {
            throw new IllegalStateException("worker '" + config.workerId() + "' is already started");
        }
        Scheduler s = Scheduler.create(config.dataSource(), task)
                .tableName(config.tables().runs())
                .schedulerName(new SchedulerName.Fixed(config.workerId()))
                .threads(config.maxConcurrentLegs())
                .executorService(Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("orchestra4j-leg-", 0).factory()))
                .pollingInterval(config.pollInterval())
                .heartbeatInterval(config.heartbeat())
                .missedHeartbeatsLimit(config.missedHeartbeats())
                .pollUsingLockAndFetch(0.5, 1.0)
                .enableImmediateExecution()
                .shutdownMaxWait(config.drainTimeout())
                .clock(config.clock()::instant)
                .build();
        scheduler = s;
        s.start();
        client = s;
        if (config.listen()) {
            Notifier n =
                    new Notifier(config.dataSource(), config.tables().channel(), config.heartbeat(), this::deliver);
            notifier = n;
            n.start();
        }
        long poll = config.pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::deliverAll, poll, poll, TimeUnit.MILLISECONDS);
    }

    public String workerId() {
        return config.workerId();
    }

    public boolean isWorker() {
        return scheduler != null;
    }

    SchedulerClient client() {
        return client;
    }

    OrchestraInstance instance(String name) {
        OrchestraInstance instance = instances.get(name);
        if (instance == null) {
            throw new IllegalArgumentException("no instance named '" + name + "' on this node; it has "
                    + instances.keySet() + " (register the same instances on every node)");
        }
        return instance;
    }

    /** Makes sure the session has a run row due now (no-op when it has one: it is running or about to). */
    void wake(String sessionId, String instanceName) {
        client.scheduleIfNotExists(
                new TaskInstance<>(TASK, sessionId, instanceName),
                config.clock().instant());
    }

    /** Of {@code sessionIds}, those with a run row (work to do, or a leg running them) or an inbox row not applied. */
    Set<String> busy(Collection<String> sessionIds) {
        String sql = "SELECT task_instance FROM " + config.tables().runs() + " WHERE task_name = ? AND task_instance"
                + " = ANY (?) UNION SELECT session_id FROM " + config.tables().inbox() + " WHERE NOT applied AND"
                + " session_id = ANY (?)";
        try (Connection c = config.dataSource().getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            Array ids = c.createArrayOf("text", sessionIds.toArray());
            p.setString(1, TASK);
            p.setArray(2, ids);
            p.setArray(3, ids);
            Set<String> busy = new HashSet<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    busy.add(rs.getString(1));
                }
            }
            return busy;
        } catch (SQLException e) {
            throw new StateException("could not read which sessions are busy: " + e.getMessage(), e);
        }
    }

    void emit(ClusterEvent event) {
        for (ClusterListener listener : config.listeners()) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("cluster listener failed on {}", event, e);
            }
        }
    }

    /** Hands the inbox rows of a session this worker runs to its leg (answers, pauses, cancels). */
    void deliver(String sessionId) {
        Leases.Lease lease = leases.get(sessionId);
        if (lease == null) {
            return;
        }
        OrchestraInstance instance = instances.get(lease.instanceName);
        if (draining) {
            instance.pauseSession(sessionId, "drain");
        }
        for (Inbox.Row row : inbox.pending(sessionId)) {
            if (lease.delivered.contains(row.seq())) {
                continue;
            }
            boolean taken =
                    switch (row.kind()) {
                        case ANSWER ->
                            row.interactionId() != null
                                    && instance.offerAnswer(sessionId, row.interactionId(), row.payload());
                        case PAUSE -> instance.pauseSession(sessionId, row.payload());
                        case CANCEL -> instance.pauseSession(sessionId, "cancel requested: " + row.payload());
                        case RESUME -> false; // only a suspended session resumes; its next leg applies it
                    };
            if (taken) {
                lease.delivered.add(row.seq());
                emit(new ClusterEvent.InboxApplied(
                        sessionId, config.workerId(), row.kind().name(), row.interactionId()));
            }
        }
    }

    /** The polling fallback of notifications: every running leg's inbox is looked at every poll interval. */
    private void deliverAll() {
        for (Leases.Lease lease : leases.all()) {
            try {
                deliver(lease.sessionId);
            } catch (RuntimeException e) {
                LOG.debug("inbox poll of session '{}' failed", lease.sessionId, e);
            }
        }
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * Drains a worker: picks nothing more, asks every local leg to pause at its next step boundary (the step in
     * flight completes and is committed), hands each paused session to another worker, then stops.
     */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            closeLocked();
        } finally {
            lifecycle.unlock();
        }
    }

    private void closeLocked() {
        Scheduler s = scheduler;
        if (s != null) {
            draining = true;
            s.pause();
            leases.all().forEach(lease -> instances.get(lease.instanceName).pauseSession(lease.sessionId, "drain"));
            long deadline = System.nanoTime() + config.drainTimeout().toNanos();
            while (leases.size() > 0 && System.nanoTime() < deadline) {
                leases.all().forEach(lease -> instances.get(lease.instanceName).pauseSession(lease.sessionId, "drain"));
                try {
                    leases.awaitChange(50); // a leg that was still starting is asked again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            s.stop();
            scheduler = null;
        }
        Notifier n = notifier;
        if (n != null) {
            n.close();
        }
        timer.shutdownNow();
    }

    /** Looks for due sessions in a moment instead of at the next poll (a dead worker's session was revived). */
    private void pickUpSoon() {
        Scheduler s = scheduler;
        if (s != null) {
            timer.schedule(s::triggerCheckForDueExecutions, 10, TimeUnit.MILLISECONDS);
        }
    }
}
