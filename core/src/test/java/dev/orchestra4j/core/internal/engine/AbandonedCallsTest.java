package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The zombie count per JVM. A step slot marks itself abandoned and then counts it, while the step's thread may return
 * in between and count its return first (a cancellation racing a step's end): whatever the order, an abandoned call
 * that returned is counted 0. Found by a wide fork cancelled while its children started, which left one call of the
 * agent counted forever.
 */
final class AbandonedCallsTest {

    @Test
    void aReturnCountedBeforeItsAbandonLeavesNothingCounted() {
        String agent = "AbandonedCallsTest returned-first";
        int total = AbandonedCalls.running();

        AbandonedCalls.returned(agent);
        AbandonedCalls.abandoned(agent);

        assertThat(AbandonedCalls.running(agent)).isZero();
        assertThat(AbandonedCalls.running()).isEqualTo(total);
    }

    @Test
    void anAbandonedCallCountsUntilItReturns() {
        String agent = "AbandonedCallsTest in order";

        AbandonedCalls.abandoned(agent);
        AbandonedCalls.abandoned(agent);
        assertThat(AbandonedCalls.running(agent)).isEqualTo(2);
        AbandonedCalls.returned(agent);
        assertThat(AbandonedCalls.running(agent)).isEqualTo(1);
        AbandonedCalls.returned(agent);

        assertThat(AbandonedCalls.running(agent)).isZero();
    }
}
