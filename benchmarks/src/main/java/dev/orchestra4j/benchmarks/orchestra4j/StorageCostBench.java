package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a checkpoint after every step writes (issue #11): one operation is one session of {@code steps} steps of the
 * two-node cycle with a {@link StateManager} saving after every step. Besides the time, it reports through JMH's
 * auxiliary counters (totals over an iteration; divide one by another):
 *
 * <ul>
 *   <li>{@code bytes} written to the backend (snapshots, checkpoints and journal entries), {@code steps} run, and
 *       {@code appends} to the journal: {@code bytes / steps} must not grow from 10 to 1,000 steps;
 *   <li>{@code fsyncs}, counted from JFR's {@code jdk.FileForce} events: on the file backend with fsync, {@code fsyncs
 *       / steps} must be 1 (plus the session's fixed creation and end writes, which weigh less as runs get longer).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StorageCostBench {

    @Param({"memory", "file"})
    String backend;

    @Param({"10", "1000"})
    int steps;

    /** Totals of one iteration, reported by JMH next to the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Written {
        public long bytes;
        public long steps;
        public long appends;
        public long fsyncs;
    }

    private final AtomicLong sessions = new AtomicLong();
    private CountingBackend storage;
    private RunOptions.Builder options;
    private Fsyncs fsyncs;
    private Path directory;

    @Setup(Level.Invocation)
    public void setUp() throws IOException {
        StorageBackend raw;
        if (backend.equals("memory")) {
            raw = StorageBackends.inMemory();
        } else if (backend.equals("file")) {
            directory = Files.createTempDirectory("o4j-bench");
            raw = new FileStorageBackend(directory, Clock.systemUTC(), FileStorageBackend.Durability.POWER_LOSS);
        } else {
            throw new IllegalArgumentException("unknown backend '" + backend + "'");
        }
        storage = new CountingBackend(raw);
        options = RunOptions.builder()
                .agents(Flows.cycleAgents(steps))
                .maxSteps(steps + 1)
                .stateManager(new StateManager(storage));
        fsyncs = new Fsyncs();
    }

    @Benchmark
    public OrchestraResult run(Written written) {
        OrchestraResult result = Orchestra.run(
                Map.of("task", "go"),
                Flows.cycle(),
                options.context(Map.of("session_id", "cost-" + sessions.incrementAndGet()))
                        .build());
        written.bytes += storage.bytesWritten;
        written.appends += storage.appends;
        written.steps += result.totalSteps();
        written.fsyncs += fsyncs.stop();
        return result;
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws IOException {
        fsyncs.close();
        storage.close();
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
