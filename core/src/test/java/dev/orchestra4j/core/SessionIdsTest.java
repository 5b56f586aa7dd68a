package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated session ids (ULIDs) and ids given in the context. */
final class SessionIdsTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    @Test
    void ulid_manyInOneMillisecond_allDistinctAcrossRandomDraws() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) { // many draws of the random pool, all in the same millisecond
            ids.add(SessionIds.ulid(1_700_000_000_000L));
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void ulid_randomPart_isNotZeroed() {
        // each id's random bytes are cleared from the pool once handed out: an id must never be built from cleared ones
        for (int i = 0; i < 1_000; i++) {
            assertThat(SessionIds.ulid(0).substring(10)).isNotEqualTo("0000000000000000");
        }
    }

    @Test
    void ulid_sortsByCreationTime_andEncodesIt() {
        List<String> ids = new ArrayList<>();
        for (long millis = 1_000; millis < 1_000_000_000_000L; millis *= 7) {
            ids.add(SessionIds.ulid(millis));
        }
        assertThat(ids).isSorted();
        String id = SessionIds.ulid(1_700_000_000_123L);
        assertThat(id).hasSize(26).matches("[" + CROCKFORD + "]{26}");
        long decoded = 0;
        for (char ch : id.substring(0, 10).toCharArray()) {
            decoded = decoded * 32 + CROCKFORD.indexOf(ch);
        }
        assertThat(decoded).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void fromContext_givenId_isKept_andBadOneNamed() {
        assertThat(SessionIds.fromContext(Map.of("session_id", "run-1.a_b"))).isEqualTo("run-1.a_b");
        assertThat(SessionIds.fromContext(Map.of())).hasSize(26);
        assertThatThrownBy(() -> SessionIds.fromContext(Map.of("session_id", "a/b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session_id 'a/b' is not valid");
    }
}
