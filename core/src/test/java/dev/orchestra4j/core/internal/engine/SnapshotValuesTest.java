package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.state.StateException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Run values in snapshots and journal entries. */
final class SnapshotValuesTest {

    @Test
    void encode_scalars_madeDirectlyAsJacksonWouldMakeThem() {
        for (Object value : List.<Object>of("x".repeat(1024), "", true, false, 7, Long.MAX_VALUE, 2.5)) {
            JsonNode direct = SnapshotValues.encode(value);

            assertThat(direct).as("%s", value).isEqualTo(SnapshotValues.MAPPER.valueToTree(value));
            assertThat(direct.getClass())
                    .isEqualTo(SnapshotValues.MAPPER.valueToTree(value).getClass());
            assertThat(SnapshotValues.decode(direct)).as("%s", value).isEqualTo(value);
        }
    }

    @Test
    void encode_numbersJsonWouldReadBackAsAnotherType_areTypedAndComeBackExactly() {
        // plain JSON would read these back as Integer, Integer, Double 1.5, String "NaN", Integer
        for (Object value : List.<Object>of(
                5L, (short) 3, new java.math.BigDecimal("1.50"), Double.NaN, java.math.BigInteger.TWO, 1.5f)) {
            JsonNode encoded = SnapshotValues.encode(value);

            assertThat(encoded.path("@type").asText())
                    .as("%s", value)
                    .isEqualTo(value.getClass().getName());
            Object back = SnapshotValues.decode(encoded);
            assertThat(back).as("%s", value).isInstanceOf(value.getClass()).isEqualTo(value);
        }
        assertThat(((java.math.BigDecimal)
                                SnapshotValues.decode(SnapshotValues.encode(new java.math.BigDecimal("1.50"))))
                        .scale())
                .isEqualTo(2);
    }

    @Test
    void encode_lambda_isRefusedNamingItInsteadOfWrittenAsAnEmptyObject() {
        Function<Integer, Integer> pricer = x -> x * 2;

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SnapshotValues.encode(pricer))
                .withMessageStartingWith("a lambda or method reference implementing java.util.function.Function"
                        + " would come back as an empty map after a restart: it is code, not data");
    }

    @Test
    void encode_methodReference_isRefusedNamingIt() {
        Supplier<String> name = "pricer"::toUpperCase;

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SnapshotValues.encode(name))
                .withMessageStartingWith("a lambda or method reference implementing java.util.function.Supplier"
                        + " would come back as an empty map");
    }

    @Test
    void encode_lambdaInsideAMapAListOrASet_isRefused() {
        Function<Integer, Integer> pricer = x -> x * 2;

        for (Object value : List.<Object>of(Map.of("pricer", pricer), List.of("a", pricer), Set.of(pricer))) {
            assertThatIllegalArgumentException()
                    .as("%s", value)
                    .isThrownBy(() -> SnapshotValues.encode(value))
                    .withMessageContaining("a lambda or method reference implementing java.util.function.Function");
        }
    }

    @Test
    void encode_namedForAValue_lambdaFailsTheSaveNamingTheValueAndWhatItIs() {
        Function<Integer, Integer> pricer = x -> x * 2;

        assertThatThrownBy(() -> SnapshotValues.encode("q1", "context value 'pricer'", pricer))
                .isInstanceOf(StateException.class)
                .hasMessageStartingWith("session 'q1' cannot be saved: context value 'pricer' ("
                        + pricer.getClass().getName() + ") cannot be written as JSON (a lambda or method reference"
                        + " implementing java.util.function.Function would come back as an empty map");
    }
}
