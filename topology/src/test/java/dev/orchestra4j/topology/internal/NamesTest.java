package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class NamesTest {

    @Test
    void check_namesWithSpacesHyphensAndParentheses_accepted() {
        assertThat(Names.check("Web Searcher (EU)-2")).isEqualTo("Web Searcher (EU)-2");
    }

    @Test
    void check_forbiddenCharacter_namedInMessage() {
        assertThatThrownBy(() -> Names.check("A>B")).hasMessageContaining("must not contain '>'");
        assertThatThrownBy(() -> Names.check("A\tB"))
                .hasMessageContaining("U+0009 CHARACTER TABULATION (at position 2");
    }

    @Test
    void firstForbidden_findsIndex() {
        assertThat(Names.firstForbidden("ab[c")).isEqualTo(2);
        assertThat(Names.firstForbidden("abc")).isEqualTo(-1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "Researcher\u00a0Bot|U+00A0 NO-BREAK SPACE (at position 11",
                "Researcher\u200b|U+200B ZERO WIDTH SPACE (at position 11",
                "Re\u202esearcher|U+202E RIGHT-TO-LEFT OVERRIDE (at position 3",
                "A\u200dB|U+200D ZERO WIDTH JOINER (at position 2",
                "\ufeffPlanner|U+FEFF ZERO WIDTH NO-BREAK SPACE (at position 1",
                "Soft\u00adHyphen|U+00AD SOFT HYPHEN (at position 5",
                "A\u2192B|U+2192 RIGHTWARDS ARROW (at position 2",
                "A\u27f6B|U+27F6 LONG RIGHTWARDS ARROW (at position 2",
                "A\uff1eB|U+FF1E FULLWIDTH GREATER-THAN SIGN (at position 2",
                "Line\u2028Break|U+2028 LINE SEPARATOR (at position 5",
                "Thin\u2009Space|U+2009 THIN SPACE (at position 5",
                "Emoji\ufe0f|U+FE0F VARIATION SELECTOR-16 (at position 6"
            })
    void check_invisibleOrArrowCharacter_namedWithCodePointAndPosition(String name, String expected) {
        assertThatThrownBy(() -> Names.check(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void check_arrowCharacterAtEitherEnd_rejected() {
        assertThatThrownBy(() -> Names.check("A-"))
                .hasMessageContaining("must not start or end with '-' (at position 2");
        assertThatThrownBy(() -> Names.check("~A")).hasMessageContaining("'~' (at position 1");
        assertThatThrownBy(() -> Names.check("A |")).hasMessageContaining("'|'");
    }

    @Test
    void check_ordinaryUnicodeNames_accepted() {
        assertThat(Names.check("Rédacteur en chef")).isEqualTo("Rédacteur en chef");
        assertThat(Names.check("研究者")).isEqualTo("研究者");
        assertThat(Names.check("Writer 🖋")).isEqualTo("Writer 🖋");
    }
}
