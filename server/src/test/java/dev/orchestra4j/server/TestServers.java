package dev.orchestra4j.server;

import dev.orchestra4j.server.internal.Demos;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import java.util.function.UnaryOperator;

/** Servers for tests: loopback, an ephemeral port, in-memory storage unless a test gives its own. */
final class TestServers {

    private TestServers() {}

    static OrchestraServer start() {
        return start(b -> b);
    }

    static OrchestraServer start(UnaryOperator<OrchestraServer.Builder> custom) {
        OrchestraServer.Builder b = OrchestraServer.builder()
                .host("127.0.0.1")
                .port(0)
                .rateLimit(0)
                .stateManager(new StateManager(StorageBackends.inMemory()));
        Demos.register(b);
        return custom.apply(b).start();
    }
}
