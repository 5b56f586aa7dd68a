package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class MetadataTest {

    @Test
    void copy_numbers_normalisedLikeJson() {
        Map<String, Object> copy = Metadata.copy(Map.of(
                "short",
                (short) 3,
                "long",
                4L,
                "big long",
                1L << 40,
                "float",
                1.5f,
                "decimal",
                new BigDecimal("2.25"),
                "bigint",
                BigInteger.TEN));
        assertThat(copy)
                .containsEntry("short", 3)
                .containsEntry("long", 4)
                .containsEntry("big long", 1L << 40)
                .containsEntry("float", 1.5)
                .containsEntry("decimal", 2.25)
                .containsEntry("bigint", 10);
    }

    @Test
    void copy_keys_sortedAndNestedCopied() {
        Map<String, Object> nested = new HashMap<>(Map.of("z", 1, "a", List.of(1L)));
        Map<String, Object> copy = Metadata.copy(Map.of("b", nested, "a", "x"));
        nested.put("extra", true);
        assertThat(copy.keySet()).containsExactly("a", "b");
        assertThat(copy.get("b")).isEqualTo(Map.of("a", List.of(1), "z", 1));
    }

    @Test
    void copy_nullValueOrBlankKey_rejected() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> Metadata.copy(withNull)).hasMessage("metadata.k must not be null");
        assertThatThrownBy(() -> Metadata.copy(Map.of(" ", 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copy_nonFiniteNumber_rejected() {
        assertThatThrownBy(() -> Metadata.copy(Map.of("x", Double.NaN)))
                .hasMessage("metadata.x must be a finite number, was NaN");
    }

    @Test
    void copy_ownObject_keptAsIs() {
        Object own = new Object();
        assertThat(Metadata.copy(Map.of("policy", own)).get("policy")).isSameAs(own);
    }
}
