package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.event.BarrierKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A fork barrier keeps its arrivals in the children's invocation order, whatever order they finish in. */
final class BarrierTest {

    private static Barrier fork(int children) {
        Barrier x = new Barrier("f1", BarrierKind.FORK, "Hub", "b1", ConvergencePolicy.STRICT, Instant.EPOCH);
        x.expectChildren(children);
        for (int i = 0; i < children; i++) {
            x.slots.put("c" + i, i);
        }
        return x;
    }

    private static List<String> arrived(Barrier x) {
        return x.arrivals.stream().map(Arrival::branchId).toList();
    }

    @Test
    void arrivalsInAnyOrder_areKeptInSlotOrder_withUnslottedOnesAfterInTheOrderTheyCame() {
        Barrier x = fork(200);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(42));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("c" + i);
        }
        for (int k = 0; k < order.size(); k++) {
            x.arrive(new Arrival("W", "c" + order.get(k), k));
            if (k == 50) {
                x.arrive(new Arrival("X", "stranger-1", "s1")); // not a child: no slot
            }
        }
        x.arrive(new Arrival("X", "stranger-2", "s2"));
        expected.add("stranger-1");
        expected.add("stranger-2");

        assertThat(arrived(x)).containsExactlyElementsOf(expected);
        List<Integer> slots = x.arrivalSlots();
        assertThat(slots).hasSize(202).isSorted();
        assertThat(slots.subList(200, 202)).containsOnly(Integer.MAX_VALUE);
    }

    @Test
    void equalSlots_keepTheOrderTheyCameIn() {
        Barrier x = fork(3);
        x.arrive(new Arrival("W", "c2", "first"));
        x.arrive(new Arrival("W", "c1", "a"));
        x.arrive(new Arrival("W", "c2", "second"));
        x.arrive(new Arrival("W", "c0", "z"));

        assertThat(x.arrivals).extracting(Arrival::value).containsExactly("z", "a", "first", "second");
        assertThat(x.arrivalSlots()).containsExactly(0, 1, 2, 2);
    }

    @Test
    void aBarrierWithoutExpectedChildren_growsAsArrivalsCome() {
        Barrier x = new Barrier("root", BarrierKind.ROOT, "End", null, ConvergencePolicy.STRICT, Instant.EPOCH);
        for (int i = 0; i < 30; i++) {
            x.arrive(new Arrival("A", "b" + i, i));
        }
        assertThat(x.arrivals).extracting(Arrival::value).containsExactlyElementsOf(range(30));
    }

    @Test
    void restoredArrivals_goOnInSlotOrder() {
        Barrier x = fork(4);
        x.restoreArrivals(List.of(new Arrival("W", "c1", 1), new Arrival("W", "c3", 3)), List.of(1, 3));
        x.arrive(new Arrival("W", "c2", 2));
        x.arrive(new Arrival("W", "c0", 0));

        assertThat(arrived(x)).containsExactly("c0", "c1", "c2", "c3");
        assertThat(x.arrivalSlots()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void storedArrivalsThatDoNotMatchTheirSlots_areRefusedNamingTheBarrier() {
        Barrier x = fork(2);
        List<Arrival> two = List.of(new Arrival("W", "c0", 0), new Arrival("W", "c1", 1));

        assertThatThrownBy(() -> x.restoreArrivals(two, List.of(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("barrier 'f1' has 2 arrivals but 1 arrival slots");
        assertThatThrownBy(() -> x.restoreArrivals(two, List.of(1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("barrier 'f1' has its arrival slots out of order: [1, 0]");
        assertThat(x.arrivals).isEmpty();
    }

    private static List<Object> range(int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
