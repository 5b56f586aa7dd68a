package dev.orchestra4j.flow;

/**
 * Hears every task transition of a running {@link TaskGraph} as it happens — {@code running} when a task's agent
 * starts, then {@code completed}, {@code failed} or (a sequential run stopped before it) {@code pending} — for live
 * status and event streams. Called on the task's own thread; a listener that throws is logged and ignored.
 */
@FunctionalInterface
public interface TaskGraphListener {

    void onTask(TaskStatus status);

    /** A listener that ignores everything. */
    static TaskGraphListener none() {
        return status -> {};
    }
}
