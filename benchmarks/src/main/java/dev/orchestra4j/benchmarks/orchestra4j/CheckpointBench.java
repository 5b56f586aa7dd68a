package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SPEC §9's checkpoint target: a 10-step pipeline whose agents carry a 1 KB state, run with no state manager
 * ({@code none}) and with a save after every step on each backend ({@code memory}, {@code file} with fsync,
 * {@code file-nofsync} with atomic rename only). Every run is a new session, so each operation also creates it. The
 * store is replaced by a new, empty one every {@value #RUNS_PER_STORE} runs (outside the measurement): an in-memory
 * store keeps every session it was given, and one kept for a whole iteration held 100+ MB by its end, so iterations
 * measured heap growth and GC, 166 to 2,170 µs per run in one JMH run. A file store's directories are deleted when the
 * trial ends, not when replaced: deleting thousands of files between runs kept the file system busy during the next
 * ones (file-nofsync grew from 2.0 to 3.5 ms per run over five iterations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CheckpointBench {

    static final int STEPS = 10;
    private static final String KILOBYTE = "x".repeat(1024);

    @Param({"none", "memory", "file", "file-nofsync"})
    String backend;

    /** How many runs one store takes before it is replaced by an empty one. */
    static final int RUNS_PER_STORE = 200;

    private final AtomicLong sessions = new AtomicLong();
    private Topology topology;
    private RunOptions.Builder options;
    /** Every file store's directory, the current one last; deleted when the trial ends. */
    private final java.util.List<java.nio.file.Path> directories = new java.util.ArrayList<>();

    private int runsInStore;

    @Setup
    public void setUp() throws IOException {
        topology = Flows.pipeline(STEPS);
        AgentRegistry agents = AgentRegistry.create();
        for (int i = 0; i < STEPS; i++) {
            String next = "s" + (i + 1);
            agents.register(
                    "s" + i,
                    i == STEPS - 1
                            ? r -> AgentResponse.finish(Map.of("state", KILOBYTE))
                            : r -> AgentResponse.handOff(next, Map.of("state", KILOBYTE)));
        }
        options = RunOptions.builder().agents(agents).maxSteps(STEPS + 1);
        freshStorage();
        Flows.check("checkpoint/" + backend, once(), STEPS);
    }

    /**
     * Every iteration starts from empty storage (review §6): the sessions of earlier iterations neither slow the
     * backend down nor keep the heap full.
     */
    @Setup(Level.Iteration)
    public void freshStorage() throws IOException {
        stateManager().ifPresent(options::stateManager);
        runsInStore = 0;
    }

    /** Before each run: a new store once this one took {@value #RUNS_PER_STORE} runs (not measured). */
    @Setup(Level.Invocation)
    public void roomInStorage() throws IOException {
        if (runsInStore == RUNS_PER_STORE) {
            freshStorage();
        }
        runsInStore++;
    }

    /** Deletes every file store's directory. */
    @org.openjdk.jmh.annotations.TearDown(Level.Trial)
    public void removeStorage() throws IOException {
        for (java.nio.file.Path each : directories) {
            deleteTree(each);
        }
        directories.clear();
    }

    /** The file stores' directories made so far, the current one last (none for the other backends). */
    java.util.List<java.nio.file.Path> storeDirectories() {
        return java.util.List.copyOf(directories);
    }

    private static void deleteTree(java.nio.file.Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (java.nio.file.Path p :
                    paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private java.util.Optional<StateManager> stateManager() throws IOException {
        return switch (backend) {
            case "none" -> java.util.Optional.empty();
            case "memory" -> java.util.Optional.of(new StateManager(StorageBackends.inMemory()));
            case "file" -> java.util.Optional.of(new StateManager(new FileStorageBackend(newDirectory())));
            case "file-nofsync" ->
                java.util.Optional.of(new StateManager(new FileStorageBackend(
                        newDirectory(), java.time.Clock.systemUTC(), FileStorageBackend.Durability.PROCESS_CRASH)));
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "'");
        };
    }

    private java.nio.file.Path newDirectory() throws IOException {
        java.nio.file.Path directory = Files.createTempDirectory("o4j-bench");
        directories.add(directory);
        return directory;
    }

    @Benchmark
    public OrchestraResult run(dev.orchestra4j.benchmarks.CpuTime cpu) {
        cpu.ops++;
        return once();
    }

    /** One run, outside JMH (setup checks, tests). */
    OrchestraResult once() {
        RunOptions run = options.context(Map.of("session_id", "bench-" + sessions.incrementAndGet()))
                .build();
        return Orchestra.run(Map.of("task", "go"), topology, run);
    }
}
