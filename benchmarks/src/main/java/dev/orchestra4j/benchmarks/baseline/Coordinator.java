package dev.orchestra4j.benchmarks.baseline;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Runs a coordinating task on a fresh virtual thread and waits for it, as the engine runs one run. */
final class Coordinator {

    private Coordinator() {}

    static <T> T callOnVirtualThread(Callable<T> task) throws InterruptedException {
        FutureTask<T> future = new FutureTask<>(task);
        Thread.startVirtualThread(future);
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("coordinator failed", e.getCause());
        }
    }
}
