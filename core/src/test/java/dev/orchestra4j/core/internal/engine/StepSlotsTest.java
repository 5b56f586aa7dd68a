package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listed step slots: a returned slot is unlisted by a later pass of the driving thread, a running one never. */
final class StepSlotsTest {

    private final StepSlots slots = new StepSlots();

    @Test
    void addDetached_dropsReturnedSlotsInPassing_andKeepsTheOthers() {
        List<StepSlot> running = new ArrayList<>();
        for (int i = 0; i < 10 * StepSlots.MIN_PASS_INTERVAL; i++) {
            StepSlot slot = new StepSlot("b" + i, 1, Long.MAX_VALUE);
            slots.addDetached(slot);
            if (i % 10 == 0) {
                running.add(slot);
            } else {
                slot.returned();
            }
        }

        assertThat(slots.listed())
                .as("returned slots do not pile up: at most a pass's worth beyond the running ones")
                .isLessThanOrEqualTo(running.size() + StepSlots.MIN_PASS_INTERVAL);
        List<StepSlot> listed = new ArrayList<>();
        slots.forEach(listed::add);
        assertThat(listed).containsAll(running);
        assertThat(listed.stream().filter(s -> !s.hasReturned())).containsExactlyElementsOf(running);
    }

    @Test
    void add_listsASlotThatNoPassDropsUntilItReturns() {
        StepSlot inline = new StepSlot(true);
        slots.add(inline);
        for (int i = 0; i < 4 * StepSlots.MIN_PASS_INTERVAL; i++) {
            StepSlot done = new StepSlot("b" + i, 1, Long.MAX_VALUE);
            slots.addDetached(done);
            done.returned();
        }
        assertThat(slots).contains(inline);

        inline.returned();
        for (int i = 0; i < 2 * StepSlots.MIN_PASS_INTERVAL; i++) {
            slots.addDetached(new StepSlot("c" + i, 1, Long.MAX_VALUE));
        }
        assertThat(slots).doesNotContain(inline);
    }

    @Test
    void aReturnedSlotStillListed_isNeverOverdue_andGivingItUpCountsNoZombie() {
        StepSlot slot = new StepSlot("b1", 1, Long.MAX_VALUE);
        slots.addDetached(slot);
        slot.begin(Thread.currentThread(), 0, Long.MAX_VALUE, "b1", 1);
        assertThat(slot.end()).isZero();
        slot.returned();

        assertThat(slots).contains(slot);
        assertThat(slot.hasReturned()).isTrue();
        assertThat(slot.overdue(Long.MAX_VALUE)).isZero();
        assertThat(slot.nextDueMillis()).isEqualTo(Long.MAX_VALUE);
        slot.cancel();
        slot.abandon("StepSlotsTest agent");
        assertThat(Thread.interrupted())
                .as("no interrupt leaks to the thread that ran it")
                .isFalse();
        assertThat(AbandonedCalls.running("StepSlotsTest agent")).isZero();
    }

    @Test
    void aQueuedSlot_isOverdueAtItsDeadline_andOnceExpiredItsThreadNeverBeginsTheCall() {
        StepSlot slot = new StepSlot("b1", 1, 1_000);
        assertThat(slot.overdue(999)).isZero();
        assertThat(slot.nextDueMillis())
                .as("the scanner watches it before it begins")
                .isEqualTo(1_000);
        assertThat(slot.overdue(1_000)).isEqualTo(StepSlot.REASON_TIMEOUT);

        assertThat(slot.expire()).isTrue();
        assertThat(slot.expire()).as("once").isFalse();
        assertThat(slot.overdue(2_000)).isZero();
        assertThat(slot.begin(Thread.currentThread(), 1_000, Long.MAX_VALUE, "b1", 1))
                .as("the executor's late begin is refused")
                .isFalse();
        assertThat(slot.end()).isEqualTo(StepSlot.REASON_TIMEOUT);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void aQueuedSlotThatBegan_cannotExpire_andIsInterruptedInstead() {
        StepSlot slot = new StepSlot("b1", 1, 1_000);
        assertThat(slot.begin(Thread.currentThread(), 1_000, Long.MAX_VALUE, "b1", 1))
                .isTrue();

        assertThat(slot.expire()).isFalse();
        assertThat(slot.overdue(1_000)).isEqualTo(StepSlot.REASON_TIMEOUT);
        assertThat(slot.interrupt(StepSlot.REASON_TIMEOUT)).isTrue();
        assertThat(slot.end()).isEqualTo(StepSlot.REASON_TIMEOUT);
        assertThat(Thread.interrupted()).as("end() cleared the interrupt").isFalse();
    }

    @Test
    void aQueuedSlotGivenUp_countsNoZombie_andItsThreadNeverBeginsTheCall() {
        String agent = "StepSlotsTest queued agent";
        StepSlot slot = new StepSlot("b1", 1, Long.MAX_VALUE);

        slot.cancel();
        slot.abandon(agent);

        assertThat(AbandonedCalls.running(agent))
                .as("no agent call runs, and none will")
                .isZero();
        assertThat(slot.begin(Thread.currentThread(), Long.MAX_VALUE, Long.MAX_VALUE, "b1", 1))
                .isFalse();
        slot.end();
        slot.returned();
        assertThat(AbandonedCalls.running(agent)).isZero();
    }

    @Test
    void aSlotGivenUpWhileItsCallRuns_countsAZombieUntilItsThreadReturns() {
        String agent = "StepSlotsTest running agent";
        StepSlot slot = new StepSlot("b1", 1, Long.MAX_VALUE);
        assertThat(slot.begin(Thread.currentThread(), Long.MAX_VALUE, Long.MAX_VALUE, "b1", 1))
                .isTrue();

        slot.abandon(agent);
        assertThat(AbandonedCalls.running(agent)).isEqualTo(1);

        slot.end();
        slot.returned();
        assertThat(AbandonedCalls.running(agent)).isZero();
    }
}
