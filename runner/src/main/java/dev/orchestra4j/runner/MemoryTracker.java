package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-process {@link Tracker} for tests and embedding: issues are put and changed programmatically; failures can be
 * injected. Thread-safe.
 */
public final class MemoryTracker implements Tracker {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Issue> issues = new LinkedHashMap<>();
    private final Map<String, List<String>> comments = new ConcurrentHashMap<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    /** Adds or replaces an issue (matched by id). */
    public MemoryTracker put(Issue issue) {
        requireNonNull(issue, "issue");
        lock.lock();
        try {
            issues.put(issue.id(), issue);
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** Removes an issue, as if it became invisible to the runner. */
    public void remove(String issueId) {
        lock.lock();
        try {
            issues.remove(issueId);
        } finally {
            lock.unlock();
        }
    }

    /** The current snapshot of an issue. */
    public java.util.Optional<Issue> find(String issueId) {
        lock.lock();
        try {
            return java.util.Optional.ofNullable(issues.get(issueId));
        } finally {
            lock.unlock();
        }
    }

    /** The comments posted on an issue, oldest first. */
    public List<String> comments(String issueId) {
        return List.copyOf(comments.getOrDefault(issueId, List.of()));
    }

    /** Makes the next {@code count} fetches fail with {@code tracker_request}. */
    public void failNextFetches(int count) {
        failuresToInject.set(count);
    }

    /** How many fetches were made (requests that an empty argument list skipped are not counted). */
    public int fetchCount() {
        return requests.get();
    }

    @Override
    public List<Issue> fetchIssuesByStates(Collection<String> states) {
        if (states.isEmpty()) {
            return List.of();
        }
        request();
        lock.lock();
        try {
            List<Issue> out = new ArrayList<>();
            for (Issue issue : issues.values()) {
                if (RunnerConfig.TrackerSettings.contains(List.copyOf(states), issue.state())) {
                    out.add(issue);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Issue> fetchIssuesByIds(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        request();
        lock.lock();
        try {
            return ids.stream()
                    .map(issues::get)
                    .filter(java.util.Objects::nonNull)
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Issue transitionIssue(String issueId, String state) {
        lock.lock();
        try {
            Issue issue = issues.get(issueId);
            if (issue == null) {
                throw new TrackerException(TrackerException.Category.TRACKER_NOT_FOUND, "no issue '" + issueId + "'");
            }
            Issue moved = issue.toBuilder().state(state).build();
            issues.put(issueId, moved);
            return moved;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addComment(String issueId, String body) {
        if (find(issueId).isEmpty()) {
            throw new TrackerException(TrackerException.Category.TRACKER_NOT_FOUND, "no issue '" + issueId + "'");
        }
        comments.computeIfAbsent(issueId, id -> new CopyOnWriteArrayList<>()).add(body);
    }

    private void request() {
        requests.incrementAndGet();
        if (failuresToInject.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
            throw new TrackerException(TrackerException.Category.TRACKER_REQUEST, "injected failure");
        }
    }
}
