package dev.orchestra4j.core.internal.engine;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The slots of a session's running steps, as {@link Steps} lists them. A step's thread does not unlist its slot when
 * it returns: it only marks it ({@link StepSlot#returned()}), and the driving thread drops returned slots in passing,
 * one pass per as many detached starts as slots were left after the last pass (so listing stays O(1) per start, and
 * at most about twice the running steps are listed). A fork of a thousand children then costs their threads no write
 * to a shared structure and the driving thread one uncontended append each, instead of a contended hash set's insert
 * and remove. A returned slot still listed is inert: it is never overdue, and giving it up or interrupting it does
 * nothing (see {@link StepSlot}).
 */
final class StepSlots implements Iterable<StepSlot> {

    static final int MIN_PASS_INTERVAL = 64;

    private final ConcurrentLinkedQueue<StepSlot> slots = new ConcurrentLinkedQueue<>();
    /** Detached starts since the last pass, and how many to allow before the next (driving thread only). */
    private int sincePass;

    private int passAt = MIN_PASS_INTERVAL;

    /** Lists {@code slot} (from any thread: an inline step's hand-off lists its fresh slot from the scanner's). */
    void add(StepSlot slot) {
        slots.add(slot);
    }

    /** Lists a detached step's {@code slot}, on the driving thread, first dropping returned slots when a pass is due. */
    void addDetached(StepSlot slot) {
        if (++sincePass >= passAt) {
            dropReturned();
        }
        slots.add(slot);
    }

    private void dropReturned() {
        int left = 0;
        for (Iterator<StepSlot> it = slots.iterator(); it.hasNext(); ) {
            if (it.next().hasReturned()) {
                it.remove();
            } else {
                left++;
            }
        }
        sincePass = 0;
        passAt = Math.max(MIN_PASS_INTERVAL, left);
    }

    /** How many slots are listed, returned ones not yet dropped included (O(n): for tests). */
    int listed() {
        return slots.size();
    }

    /** The listed slots, weakly consistent: safe while other threads list and drop them. */
    @Override
    public Iterator<StepSlot> iterator() {
        return slots.iterator();
    }
}
