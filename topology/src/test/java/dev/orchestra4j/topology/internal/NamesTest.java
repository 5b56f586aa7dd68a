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
        assertThatThrownBy(() -> Names.check("A\tB")).hasMessageContaining("\\u0009");
    }

    @Test
    void firstForbidden_findsIndex() {
        assertThat(Names.firstForbidden("ab[c")).isEqualTo(2);
        assertThat(Names.firstForbidden("abc")).isEqualTo(-1);
    }
}
