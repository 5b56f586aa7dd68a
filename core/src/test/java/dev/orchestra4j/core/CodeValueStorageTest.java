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
        Topology topology = TestTopologies.asking();
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
     * A final answer is stored by the last save: code there fails the run (an end that cannot be stored is a
     * failure), where before it was stored as {@code {}} and came back as an empty map.
     */
    static Stream<Arguments> codeAnswers() {
        Function<Integer, Integer> pricer = x -> x * 2;
        Supplier<String> name = "apples"::toUpperCase;
        return Stream.of(Arguments.of("lambda", pricer), Arguments.of("method-reference", name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codeAnswers")
    void execute_codeAsTheFinalAnswer_failsTheRun_andIsNotStoredAsAnEmptyMap(String id, Object answer) {
        OrchestraResult result = finishing(answer).execute("quote", Map.of("session_id", id), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("a lambda or method reference"));
        StoredSession stored = StoredSession.load(manager, id).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.FAILED.name());
        assertThat(stored.finalResponses()).isEmpty();
    }

    /** A record holding a lambda in a field: refused at the first save too, not written as {@code {"f":{}}}. */
    record Quote(String item, Function<Integer, Integer> pricer) {}

    @Test
    void execute_lambdaInARecordField_failsAtTheFirstSaveNamingIt() {
        Topology topology = TestTopologies.asking();
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "A",
                        r -> r.received() instanceof Input.Answer
                                ? AgentResponse.finish("done")
                                : AgentResponse.askUser("how many?"));

        OrchestraResult result = instance(topology, agents)
                .execute("quote", Map.of("session_id", "lambda-field", "quote", new Quote("apples", x -> x)), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("session 'lambda-field' cannot be saved: context value 'quote'")
                .contains("a lambda or method reference implementing java.util.function.Function"));
    }

    private OrchestraInstance finishing(Object answer) {
        Topology topology = TestTopologies.single();
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
