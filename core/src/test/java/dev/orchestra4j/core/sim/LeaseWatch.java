package dev.orchestra4j.core.sim;

import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@code recoverSession} of one simulated process watching another owner's lease: between two looks at storage it
 * waits here (quiet, in {@link World#watching}) until the simulation has moved the clock and lets it look again.
 */
final class LeaseWatch {

    private final World w;
    private final BooleanSupplier dead;
    /** The recovering thread waiting for its next look, else null (under the lock). */
    private @Nullable Thread watcher;
    /** Whether the simulation granted the watcher its next look (under the lock). */
    private boolean look;

    LeaseWatch(World w, BooleanSupplier dead) {
        this.w = w;
        this.dead = dead;
    }

    /** Called on the recovering thread: returns when it may look at storage again (or its process died). */
    void await() throws InterruptedException {
        w.lock.lock();
        try {
            watcher = Thread.currentThread();
            w.watching.add(watcher);
            w.changed.signalAll();
            try {
                while (!look && !dead.getAsBoolean()) {
                    w.changed.await(); // a look granted and a death both signal
                }
            } finally {
                look = false;
                w.watching.remove(Thread.currentThread());
                watcher = null;
                w.changed.signalAll();
            }
        } finally {
            w.lock.unlock();
        }
    }

    /** Whether a recovery waits for its next look (under the lock). */
    boolean watching() {
        return watcher != null && !look;
    }

    /** Lets the watching recovery look at storage once (under the lock). */
    void grantLook() {
        Thread t = watcher;
        if (t != null) {
            look = true;
            w.watching.remove(t); // busy until it is back in the watch, or done
            w.changed.signalAll();
        }
    }
}
