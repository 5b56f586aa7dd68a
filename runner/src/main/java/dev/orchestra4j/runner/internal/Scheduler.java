package dev.orchestra4j.runner.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Schedules the orchestrator's timers (ticks and retries); tests inject a manual one on a virtual clock. */
public interface Scheduler extends AutoCloseable {

    /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    @Override
    void close();

    /** A scheduled task that may be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Real time, one platform timer thread. */
    static Scheduler system() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchestra4j-runner-timer");
            t.setDaemon(true);
            return t;
        });
        return new Scheduler() {
            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                try {
                    ScheduledFuture<?> future =
                            timer.schedule(task, Math.max(delay.toMillis(), 0), TimeUnit.MILLISECONDS);
                    return () -> future.cancel(false);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    return () -> {};
                }
            }

            @Override
            public void close() {
                timer.shutdownNow();
            }
        };
    }
}
