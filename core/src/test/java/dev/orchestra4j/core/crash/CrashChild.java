package dev.orchestra4j.core.crash;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The process {@link CrashRecoveryTest} kills: runs a six-step pipeline whose agents log each call to a side-channel
 * file, and in {@code run} mode blocks forever inside step {@code blockAt} after saying so on stdout.
 *
 * <p>Arguments: {@code run|recover file|jdbc <location> <sideChannel> <sessionId> <blockAt>}.
 */
final class CrashChild {

    static final int STEPS = 6;

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path sideChannel = Path.of(args[3]);
        String sessionId = args[4];
        int blockAt = Integer.parseInt(args[5]);
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology())
                .agents(agents(sideChannel, mode.equals("run") ? blockAt : -1))
                .stateManager(new StateManager(backend(args[1], args[2])))
                .build()) {
            OrchestraResult result = mode.equals("run")
                    ? instance.execute("crash me", Map.of("session_id", sessionId), 50)
                    : instance.recoverSession(sessionId, Map.of());
            System.out.println("RESULT " + result.status() + " " + result.finalResponse());
        }
    }

    static Topology topology() {
        Topology.Builder b = Topology.builder().edge("Start -> S1");
        for (int i = 1; i < STEPS; i++) {
            b.edge("S" + i + " -> S" + (i + 1));
        }
        return b.edge("S" + STEPS + " -> End").build();
    }

    private static AgentRegistry agents(Path sideChannel, int blockAt) {
        AgentRegistry registry = AgentRegistry.create();
        for (int i = 1; i <= STEPS; i++) {
            int step = i;
            registry.register("S" + i, r -> {
                log(sideChannel, "S" + step);
                if (step == blockAt) {
                    System.out.println("BLOCKED S" + step);
                    System.out.flush();
                    new CountDownLatch(1).await();
                }
                return step == STEPS
                        ? AgentResponse.finish(r.input() + ">S" + step)
                        : AgentResponse.handOff("S" + (step + 1), r.input() + ">S" + step);
            });
        }
        return registry;
    }

    private static void log(Path sideChannel, String line) throws IOException {
        Files.writeString(
                sideChannel,
                line + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    private static StorageBackend backend(String kind, String location) {
        if (kind.equals("file")) {
            return new FileStorageBackend(Path.of(location));
        }
        String[] urlAndTable = location.split("\\|");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(urlAndTable[0]);
        return new JdbcStorageBackend(dataSource, urlAndTable[1]);
    }
}
