package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run values in snapshots and journal entries. */
final class SnapshotValuesTest {

    @Test
    void encode_scalars_madeDirectlyAsJacksonWouldMakeThem() {
        for (Object value : List.<Object>of("x".repeat(1024), "", true, false, 7, Long.MAX_VALUE, 2.5, Double.NaN)) {
            JsonNode direct = SnapshotValues.encode(value);

            assertThat(direct).as("%s", value).isEqualTo(SnapshotValues.MAPPER.valueToTree(value));
            assertThat(direct.getClass())
                    .isEqualTo(SnapshotValues.MAPPER.valueToTree(value).getClass());
            assertThat(SnapshotValues.decode(direct)).as("%s", value).isEqualTo(value);
        }
    }

    @Test
    void encode_otherNumbers_stillThroughJackson() {
        assertThat(SnapshotValues.encode(new java.math.BigDecimal("1.50")))
                .isEqualTo(SnapshotValues.MAPPER.valueToTree(new java.math.BigDecimal("1.50")));
        assertThat(SnapshotValues.encode((short) 3)).isEqualTo(SnapshotValues.MAPPER.valueToTree((short) 3));
    }
}
