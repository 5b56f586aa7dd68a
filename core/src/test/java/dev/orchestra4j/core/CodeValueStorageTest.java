package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Code in a run value (a lambda or method reference) is refused when the session is first saved, naming the value;
 * before, Jackson wrote it as {@code {}} and an agent in another instance saw an empty {@code LinkedHashMap}.
 */
final class CodeValueStorageTest {

    private static final String REFUSED = "cannot be written as JSON (a lambda or method reference implementing ";

    private final StateManager manager = new StateManager(StorageBackends.inMemory());

    @Test
    void execute_lambdaInTheContextOfAPausingRun_failsAtTheFirstSaveNamingTheValue() {
        Function<Integer, Integer> pricer = x -> x * 2;
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> User")
                .edge("A -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "A",
                        r -> r.received() instanceof Input.Answer
                                ? AgentResponse.finish(
                                        String.valueOf(r.context().get("pricer")))
                                : AgentResponse.askUser("how many?"));

        OrchestraResult result = instance(topology, agents)
                .execute("quote", Map.of("session_id", "lambda-context", "pricer", pricer), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("session 'lambda-context' cannot be saved: context value 'pricer'")
                .contains(REFUSED + "java.util.function.Function"));
    }

    /**
     * A final answer is stored by the last save, which does not fail a run that reached End (storage keeps the last
     * snapshot it could write, with the final status): code is now left out of it exactly like a bean with no
     * properties, where before it was stored as {@code {}} and came back as an empty map.
     */
    static Stream<Arguments> codeAnswers() {
        Function<Integer, Integer> pricer = x -> x * 2;
        Supplier<String> name = "apples"::toUpperCase;
        return Stream.of(Arguments.of("lambda", pricer), Arguments.of("method-reference", name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codeAnswers")
    void execute_codeAsTheFinalAnswer_isNotStoredAsAnEmptyMapButLeftOutLikeABeanWithNoProperties(
            String id, Object answer) {
        finishing(answer).execute("quote", Map.of("session_id", id), 10);
        finishing(new Object()).execute("quote", Map.of("session_id", id + "-bean"), 10);

        StoredSession stored = StoredSession.load(manager, id).orElseThrow();
        assertThat(stored.finalResponses()).isEmpty();
        assertThat(stored.finalResponses())
                .isEqualTo(
                        StoredSession.load(manager, id + "-bean").orElseThrow().finalResponses());
    }

    private OrchestraInstance finishing(Object answer) {
        Topology topology =
                Topology.builder().edge("Start -> A").edge("A -> End").build();
        return instance(topology, AgentRegistry.create().register("A", r -> AgentResponse.finish(answer)));
    }

    private OrchestraInstance instance(Topology topology, AgentRegistry agents) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(manager)
                .build();
    }
}
