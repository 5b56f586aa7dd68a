package dev.orchestra4j.state.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;

final class KeysTest {

    @Property
    void requireValid_keyOfAllowedSegments_accepted(@ForAll("validKeys") String key) {
        assertThat(Keys.requireValid(key)).isEqualTo(key);
        assertThat(Keys.requireValidPrefix(key)).isEqualTo(key);
        assertThat(Keys.requireValidPrefix(key + "/")).isEqualTo(key + "/");
    }

    @Property
    void requireValid_keyWithTraversalSegment_rejected(
            @ForAll("validKeys") String key, @ForAll("dotSegments") String dots, @ForAll boolean atEnd) {
        String bad = atEnd ? key + "/" + dots : dots + "/" + key;

        assertThatThrownBy(() -> Keys.requireValid(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment '" + dots + "'");
    }

    @Property
    void requireValid_keyWithForbiddenCharacter_rejected(
            @ForAll("validKeys") String key, @ForAll @CharRange(from = ' ', to = '~') char c) {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/-";
        String bad = key + c + "x";

        if (allowed.indexOf(c) < 0) {
            assertThatThrownBy(() -> Keys.requireValid(bad)).hasMessageContaining("character '" + c + "'");
        }
    }

    @Property
    void requireValid_keyWithEmptySegment_rejected(@ForAll("validKeys") String key) {
        List<String> bad = List.of("/" + key, key + "/", key + "//x");

        bad.forEach(k -> assertThatThrownBy(() -> Keys.requireValid(k)).hasMessageContaining("empty segment"));
    }

    @Provide
    Arbitrary<String> validKeys() {
        Arbitrary<String> segment = Arbitraries.strings()
                .withChars("abcXYZ019._:-")
                .ofMinLength(1)
                .ofMaxLength(20)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        return Combinators.combine(segment.list().ofMinSize(1).ofMaxSize(5), Arbitraries.just("/"))
                .as((segments, slash) -> String.join(slash, segments));
    }

    @Provide
    Arbitrary<String> dotSegments() {
        return Arbitraries.of(".", "..");
    }
}
