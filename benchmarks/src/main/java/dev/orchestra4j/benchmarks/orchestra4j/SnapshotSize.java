package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import java.util.Map;

/**
 * Snapshot size against trace length (SPEC §9: it must grow linearly): runs pipelines of 10, 100 and 1,000 steps with
 * a state manager and prints the stored size of the final snapshot, plain and gzip, and the bytes per trace step.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.orchestra4j.benchmarks.orchestra4j.SnapshotSize}.
 */
public final class SnapshotSize {

    private SnapshotSize() {}

    public static void main(String[] args) {
        System.out.println("steps | snapshot bytes | bytes/step | gzip bytes | gzip bytes/step");
        for (int steps : new int[] {10, 100, 1000}) {
            long plain = size(steps, false);
            long gzip = size(steps, true);
            System.out.printf(
                    "%5d | %14d | %10.0f | %10d | %15.0f%n",
                    steps, plain, (double) plain / steps, gzip, (double) gzip / steps);
        }
    }

    private static long size(int steps, boolean gzip) {
        StorageBackend storage = StorageBackends.inMemory();
        StateManager manager = StateManager.builder(storage).compression(gzip).build();
        OrchestraResult result = Orchestra.run(
                Map.of("task", "go"),
                Flows.pipeline(steps),
                RunOptions.builder()
                        .agents(Flows.pipelineAgents(steps))
                        .maxSteps(steps + 1)
                        .stateManager(manager)
                        .context(Map.of("session_id", "size-" + steps))
                        .build());
        Flows.check("snapshotSize", result, steps);
        return storage.read("sessions/size-" + steps).orElseThrow().value().length;
    }
}
