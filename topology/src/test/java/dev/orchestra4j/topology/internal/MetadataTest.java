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

    @Test
    void copy_selfReferencingMap_topologyExceptionNotStackOverflow() {
        Map<String, Object> loop = new HashMap<>();
        loop.put("self", loop);
        assertThatThrownBy(() -> Metadata.copy(Map.of("a", loop)))
                .isInstanceOf(dev.orchestra4j.topology.TopologyException.class)
                .hasMessageContaining("metadata.a.self contains itself");
    }

    @Test
    void copy_listContainingItself_topologyException() {
        List<Object> loop = new java.util.ArrayList<>();
        loop.add(Map.of("inner", loop));
        assertThatThrownBy(() -> Metadata.copy(Map.of("list", loop)))
                .isInstanceOf(dev.orchestra4j.topology.TopologyException.class)
                .hasMessageContaining("contains itself");
    }

    @Test
    void copy_sameMapTwiceSideBySide_isNotACycle() {
        Map<String, Object> shared = Map.of("x", 1);
        assertThat(Metadata.copy(Map.of("a", shared, "b", shared))).containsEntry("b", Map.of("x", 1));
    }

    @Test
    void copy_nestedTooDeep_topologyException() {
        Map<String, Object> deep = Map.of("leaf", 1);
        for (int i = 0; i < Metadata.MAX_DEPTH + 1; i++) {
            deep = Map.of("d", deep);
        }
        Map<String, Object> tooDeep = deep;
        assertThatThrownBy(() -> Metadata.copy(tooDeep))
                .isInstanceOf(dev.orchestra4j.topology.TopologyException.class)
                .hasMessageContaining("deeper than 64");
    }
}
