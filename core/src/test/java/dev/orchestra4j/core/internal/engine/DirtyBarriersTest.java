package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The barriers still to look at: each once, in marking order, the root last; the same whatever their number. */
final class DirtyBarriersTest {

    @Test
    void takeNext_returnsInMarkingOrder_theRootLast_eachIdOnce() {
        DirtyBarriers d = new DirtyBarriers();
        assertThat(d.add("root1")).isTrue();
        assertThat(d.add("f2")).isTrue();
        assertThat(d.add("root1")).isFalse();
        d.add("f3");

        assertThat(d.list()).containsExactly("root1", "f2", "f3");
        assertThat(d.takeNext("root1")).isEqualTo("f2");
        assertThat(d.takeNext("root1")).isEqualTo("f3");
        assertThat(d.takeNext("root1")).isEqualTo("root1");
        assertThat(d.isEmpty()).isTrue();
        assertThatThrownBy(() -> d.takeNext("root1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no dirty barrier");
    }

    /** Against a LinkedHashSet doing the same, across the switch to a set past eight ids and back. */
    @Test
    void randomMarksAndTakes_behaveAsAnInsertionOrderedSet() {
        for (long seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            DirtyBarriers d = new DirtyBarriers();
            LinkedHashSet<String> model = new LinkedHashSet<>();
            int ids = 2 + random.nextInt(3 * DirtyBarriers.FEW);
            for (int op = 0; op < 200; op++) {
                String root = "x0";
                if (random.nextInt(3) > 0 || model.isEmpty()) {
                    String id = "x" + random.nextInt(ids);
                    assertThat(d.add(id)).as("seed %d add %s", seed, id).isEqualTo(model.add(id));
                } else {
                    String expected = null;
                    for (String id : model) {
                        if (!id.equals(root) || model.size() == 1) {
                            expected = id;
                            break;
                        }
                    }
                    model.remove(expected);
                    assertThat(d.takeNext(root)).as("seed %d", seed).isEqualTo(expected);
                }
                assertThat(d.list()).as("seed %d", seed).containsExactlyElementsOf(new ArrayList<>(model));
                assertThat(d.size()).isEqualTo(model.size());
            }
            d.clear();
            assertThat(d.list()).isEqualTo(List.of());
        }
    }
}
