package dev.orchestra4j.benchmarks.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor under issue #11's checkpoint target, with no engine at all: what it costs only to encode, with Jackson
 * from a typed record as the issue asks, the least a journal must keep of each of {@code CheckpointBench}'s ten steps
 * (which agent ran, its place in the session and its 1 KB output), and to keep the bytes in memory. No trace, no
 * branch, no snapshot, no checksum, no fencing: any engine that journals each step with Jackson pays at least this on
 * top of its run without a state manager.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CheckpointFloorBench {

    /** {@code CheckpointBench}'s steps and state. */
    static final int STEPS = 10;

    private static final String KILOBYTE = "x".repeat(1024);

    /** The least a committed step's journal entry carries. */
    record StepEntry(String sessionId, long sequence, String agent, String action, Map<String, Object> output) {}

    private final ObjectWriter writer = new ObjectMapper().writerFor(StepEntry.class);
    private final String[] agents = new String[STEPS];
    private long sessions;

    @Setup
    public void check() throws JsonProcessingException {
        for (int i = 0; i < STEPS; i++) {
            agents[i] = "s" + i;
        }
        List<byte[]> journal = jacksonJournal();
        if (journal.size() != STEPS || journal.get(0).length < KILOBYTE.length()) {
            throw new IllegalStateException("jacksonJournal wrote " + journal.size() + " entries");
        }
    }

    /** Ten steps' entries, each encoded to bytes and appended to a new session's in-memory journal. */
    @Benchmark
    public List<byte[]> jacksonJournal() throws JsonProcessingException {
        String sessionId = "bench-" + (++sessions);
        List<byte[]> journal = new ArrayList<>(STEPS);
        for (int i = 0; i < STEPS; i++) {
            // a new value per step, as an agent returns one
            Map<String, Object> output = Map.of("state", KILOBYTE);
            String action = i == STEPS - 1 ? "FINISH" : "HAND_OFF";
            journal.add(writer.writeValueAsBytes(new StepEntry(sessionId, i + 1, agents[i], action, output)));
        }
        return journal;
    }
}
