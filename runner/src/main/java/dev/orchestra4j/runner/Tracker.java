package dev.orchestra4j.runner;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * An issue tracker the runner reads and the agent writes through (Symphony §11). Implementations: {@link
 * MemoryTracker}, and the {@code file} and {@code github} adapters made by {@link Trackers#create}. Calls may block;
 * failures are {@link TrackerException}s.
 */
public interface Tracker extends AutoCloseable {

    /**
     * Issues in any of these states, including non-dispatchable ones; an empty list returns {@code []} with no
     * request. Malformed records are dropped (and logged).
     */
    List<Issue> fetchIssuesByStates(Collection<String> states);

    /**
     * Current snapshots of these issues; ids no longer visible are omitted, an empty list returns {@code []} with no
     * request, and a malformed requested record fails the whole call.
     */
    List<Issue> fetchIssuesByIds(Collection<String> ids);

    /** Moves an issue to {@code state} atomically and returns the new snapshot. */
    Issue transitionIssue(String issueId, String state);

    /** Attaches a comment to an issue. */
    void addComment(String issueId, String body);

    /** Environment variable names that hold this tracker's secrets; they are removed from agent processes. */
    default Set<String> secretEnvironmentNames() {
        return Set.of();
    }

    @Override
    default void close() {}
}
