package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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
}
