package dev.orchestra4j.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Agents for the tests of steps that outlive their deadline or cancellation. */
final class StuckAgents {

    private StuckAgents() {}

    /**
     * An agent that swallows interrupts and returns "zombie" only when {@code endOfTest} is counted down; it counts
     * its calls, and from the second call on finishes at once with "second attempt".
     */
    static Agent ignoringInterrupts(CountDownLatch started, CountDownLatch endOfTest, AtomicInteger calls) {
        return r -> {
            if (calls.incrementAndGet() > 1) {
                return AgentResponse.finish("second attempt");
            }
            started.countDown();
            while (endOfTest.getCount() > 0) {
                try {
                    endOfTest.await();
                } catch (InterruptedException ignored) {
                    // an agent that swallows interrupts
                }
            }
            return AgentResponse.finish("zombie");
        };
    }
}
