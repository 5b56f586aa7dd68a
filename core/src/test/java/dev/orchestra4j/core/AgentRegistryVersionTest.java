package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentRegistryVersionTest {

    private final Agent agent = r -> AgentResponse.finish("x");
    private final AgentRegistry registry = AgentRegistry.create();

    @Test
    void everyRegistrationChange_changesTheVersion() {
        long created = registry.version();

        registry.register("A", agent);
        long registered = registry.version();
        registry.register("A", r -> AgentResponse.finish("y"));
        long replaced = registry.version();
        registry.registerFactory("A", () -> agent);
        long factory = registry.version();
        registry.unregister("A");
        long unregistered = registry.version();

        assertThat(java.util.List.of(created, registered, replaced, factory, unregistered))
                .doesNotHaveDuplicates();
    }

    @Test
    void readsAndFailedRegistrations_leaveTheVersionAlone() {
        registry.register("A", agent);
        long before = registry.version();

        registry.find("A");
        registry.contains("A");
        registry.isPerBranch("A");
        registry.names();
        try {
            registry.register("End", agent);
        } catch (IllegalArgumentException expected) {
            assertThat(expected).hasMessageContaining("'End'");
        }

        assertThat(registry.version()).isEqualTo(before);
    }
}
