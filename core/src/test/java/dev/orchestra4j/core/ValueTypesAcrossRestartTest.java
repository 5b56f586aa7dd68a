package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A value an agent hands on comes back after a restart (a pause, resumed by another instance) as what it was, or is refused when it is first stored: never
 * silently as another type (before: a {@code LocalDate} came back as the list {@code [2026, 1, 2]}, an {@code Instant}
 * as a number, a {@code BigDecimal} 1.10 as the double 1.1, {@code 5L} as an {@code Integer}, a {@code Set} as a list,
 * a map's {@code Integer} keys as strings).
 */
final class ValueTypesAcrossRestartTest {

    private static final Topology TOPOLOGY = Topology.builder()
            .edge("Start -> A")
            .edge("A -> B")
            .edge("B -> End")
            .build();

    private final StateManager manager = new StateManager(StorageBackends.inMemory());

    static Stream<Arguments> keptWithTheirType() {
        return Stream.of(
                Arguments.of(LocalDate.of(2026, 1, 2)),
                Arguments.of(Instant.parse("2026-12-04T17:30:00.123456789Z")),
                Arguments.of(Duration.ofMillis(1500)),
                Arguments.of(OffsetDateTime.parse("2026-12-04T17:30:00+01:00")),
                Arguments.of(ZonedDateTime.parse("2026-12-04T17:30:00+01:00[Europe/Paris]")),
                Arguments.of(new BigDecimal("1.10")),
                Arguments.of(BigInteger.valueOf(5)),
                Arguments.of(UUID.fromString("00000000-0000-0000-0000-000000000001")),
                Arguments.of(URI.create("https://example.com/a?b=c")),
                Arguments.of(5L),
                Arguments.of(3.5f),
                Arguments.of((short) 7),
                Arguments.of((byte) -2),
                Arguments.of('c'),
                Arguments.of(Double.NaN),
                Arguments.of(Double.NEGATIVE_INFINITY),
                Arguments.of(DayOfWeek.MONDAY),
                Arguments.of(Set.of("only")),
                Arguments.of((Object) new float[] {1.5f, Float.NaN, -0.0f, Float.MIN_VALUE}),
                Arguments.of((Object) new double[] {0.1, Double.POSITIVE_INFINITY}),
                Arguments.of((Object) new int[] {}),
                Arguments.of((Object) new long[] {Long.MIN_VALUE, 5}),
                Arguments.of((Object) new char[] {'a', ',', '\n'}),
                Arguments.of((Object) new boolean[] {true, false}),
                Arguments.of((Object) new short[] {-1}),
                Arguments.of((Object) new byte[] {0, -128, 127}),
                Arguments.of(Map.of("when", List.of(LocalDate.of(2026, 1, 2), 5L), "tags", Set.of("x"))));
    }

    @ParameterizedTest
    @MethodSource("keptWithTheirType")
    void aValueHandedOn_isTheSameValueOfTheSameTypeInAnotherInstanceAfterAPause(Object value) {
        String id = "kept-" + value.getClass().getSimpleName().replace("[]", "s") + "-"
                + Integer.toHexString(java.util.Arrays.deepHashCode(new Object[] {value}));
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        self.set(instance(value, new AtomicReference<>(), () -> self.get().pauseSession(id, "restart")));
        OrchestraResult first = self.get().execute("go", Map.of("session_id", id), 10);
        assertThat(first.status()).isEqualTo(RunStatus.PAUSED);

        AtomicReference<Object> seen = new AtomicReference<>();
        OrchestraResult second = instance(value, seen, () -> {}).resumeSession(id, Map.of());

        assertThat(second.status()).isEqualTo(RunStatus.COMPLETED);
        Class<?> type = value instanceof Set<?> ? Set.class : value instanceof Map<?, ?> ? Map.class : value.getClass();
        assertThat(seen.get()).isInstanceOf(type).isEqualTo(value);
        assertThat(second.executionTrace().getFirst().output())
                .isInstanceOf(type)
                .isEqualTo(value);
    }

    /** A record a map's {@code @type} key could name. */
    public record Named(String name) {}

    /**
     * Maps whose keys are those storage uses for its own tags (before: the first came back as a {@code Set}, the second
     * as a {@code LocalDate}, the third as a {@link Named}, the fourth as an empty list of arrivals, and the fifth made
     * the session unreadable).
     */
    static Stream<Arguments> tagShapedMaps() {
        return Stream.of(
                Arguments.of(Map.of("@set", List.of(1, 2))),
                Arguments.of(Map.of("@type", "java.time.LocalDate", "@value", "2026-01-02")),
                Arguments.of(Map.of("@type", Named.class.getName(), "@value", Map.of("name", "x"))),
                Arguments.of(Map.of("@arrivals", List.of())),
                Arguments.of(Map.of("@error", "not an error")),
                Arguments.of(Map.of("@map", Map.of("a", 1))),
                Arguments.of(Map.of("@map", "text")),
                Arguments.of(Map.of("outer", List.of(Map.of("@set", List.of("x"))), "@type", "x")));
    }

    @ParameterizedTest
    @MethodSource("tagShapedMaps")
    void aMapWithTheKeysOfAStorageTag_comesBackAsThatMap(Map<String, Object> value) {
        String id = "tag-shaped-" + Integer.toHexString(value.hashCode());
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        self.set(instance(value, new AtomicReference<>(), () -> self.get().pauseSession(id, "restart")));
        assertThat(self.get().execute("go", Map.of("session_id", id), 10).status())
                .isEqualTo(RunStatus.PAUSED);

        AtomicReference<Object> seen = new AtomicReference<>();
        OrchestraResult second = instance(value, seen, () -> {}).resumeSession(id, Map.of());

        assertThat(second.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(seen.get()).isInstanceOf(Map.class).isEqualTo(value);
        assertThat(second.executionTrace().getFirst().output()).isEqualTo(value);
    }

    @org.junit.jupiter.api.Test
    void aContextEntryFromTheCallerShapedLikeATypedValue_isNotBoundToTheClassItNames() {
        // what a server would put in the context from a request's JSON body
        Map<String, Object> fromRequest = Map.of("@type", Named.class.getName(), "@value", Map.of("name", "mallory"));
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        AtomicReference<Object> seen = new AtomicReference<>();
        java.util.function.Supplier<OrchestraInstance> instance = () -> OrchestraInstance.builder()
                .topology(TOPOLOGY)
                .agents(AgentRegistry.create()
                        .register("A", r -> {
                            self.get().pauseSession("from-request", "restart");
                            return AgentResponse.handOff("B", "x");
                        })
                        .register("B", r -> {
                            seen.set(r.context().get("order"));
                            return AgentResponse.finish("done");
                        }))
                .stateManager(manager)
                .build();
        self.set(instance.get());
        assertThat(self.get()
                        .execute("go", Map.of("session_id", "from-request", "order", fromRequest), 10)
                        .status())
                .isEqualTo(RunStatus.PAUSED);

        OrchestraResult resumed = instance.get().resumeSession("from-request", Map.of());

        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(seen.get()).isInstanceOf(Map.class).isEqualTo(fromRequest);
    }

    @org.junit.jupiter.api.Test
    void aTypedValueARedactorRewroteSoItNoLongerParses_comesBackAsTheStoredText() {
        // a date-of-birth rule: every ISO date in storage becomes "[date]"
        StateManager redacting = StateManager.builder(StorageBackends.inMemory())
                .redactor((path, value) -> value.isTextual() && value.asText().matches("\\d{4}-\\d{2}-\\d{2}")
                        ? com.fasterxml.jackson.databind.node.TextNode.valueOf("[date]")
                        : value)
                .build();
        LocalDate born = LocalDate.of(1990, 5, 17);
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        self.set(instance(
                born, new AtomicReference<>(), () -> self.get().pauseSession("redacted", "restart"), redacting));
        assertThat(self.get()
                        .execute("go", Map.of("session_id", "redacted"), 10)
                        .status())
                .isEqualTo(RunStatus.PAUSED);

        AtomicReference<Object> seen = new AtomicReference<>();
        OrchestraResult resumed = instance(born, seen, () -> {}, redacting).resumeSession("redacted", Map.of());

        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(seen.get()).isEqualTo("[date]");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(
                        Map.of(1, "one"), "a map with a java.lang.Integer (1) key: a stored map needs string keys"),
                Arguments.of(new String[] {"a"}, "a java.lang.String[] would come back as a List after a restart"),
                Arguments.of(
                        new java.util.ArrayDeque<>(List.of("a")),
                        "a java.util.ArrayDeque would come back as a List after a restart"),
                Arguments.of(new StringBuilder("text"), "a java.lang.StringBuilder would come back as another type"),
                Arguments.of(
                        new java.util.concurrent.atomic.AtomicLong(3),
                        "a java.util.concurrent.atomic.AtomicLong would come back as another type"),
                Arguments.of(java.util.Optional.of("x"), "a java.util.Optional would come back as another type"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aValueThatWouldComeBackAsAnotherType_failsTheRunWhenFirstStored_namingIt(Object value, String why) {
        String id = "refused-" + value.getClass().getSimpleName().replace("[]", "s");

        OrchestraResult result =
                instance(value, new AtomicReference<>(), () -> {}).execute("go", Map.of("session_id", id), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("session '" + id + "' cannot be saved: a value produced by an agent")
                .contains(why));
        assertThat(manager.loadSession(id).map(SessionSnapshot::status)).contains("FAILED");
    }

    /** A runs {@code duringA}, then hands {@code value} to B; B keeps what it was handed in {@code seen}. */
    private OrchestraInstance instance(Object value, AtomicReference<Object> seen, Runnable duringA) {
        return instance(value, seen, duringA, manager);
    }

    private OrchestraInstance instance(
            Object value, AtomicReference<Object> seen, Runnable duringA, StateManager storage) {
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> {
                    duringA.run();
                    return AgentResponse.handOff("B", value);
                })
                .register("B", r -> {
                    seen.set(r.input());
                    return AgentResponse.finish("done");
                });
        return OrchestraInstance.builder()
                .topology(TOPOLOGY)
                .agents(agents)
                .stateManager(storage)
                .build();
    }
}
