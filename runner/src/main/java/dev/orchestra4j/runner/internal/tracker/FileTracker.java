package dev.orchestra4j.runner.internal.tracker;

import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig.TrackerSettings;
import dev.orchestra4j.runner.States;
import dev.orchestra4j.runner.Tracker;
import dev.orchestra4j.runner.TrackerException;
import dev.orchestra4j.runner.TrackerException.Category;
import dev.orchestra4j.runner.WorkflowException;
import dev.orchestra4j.runner.WorkflowFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracker.kind: file}: a directory with one Markdown file per issue. The file stem is the identifier (and the
 * id); the front matter holds {@code title}, {@code state}, {@code priority}, {@code labels}, {@code blocked_by} (a
 * list of identifiers) and {@code created_at}; the body is the description. An issue is dispatchable when every
 * blocker is in a terminal state. Transitions rewrite the {@code state:} line through an atomic rename; comments are
 * files under {@code comments/<identifier>/}.
 */
public final class FileTracker implements Tracker {

    private static final Logger LOG = LoggerFactory.getLogger(FileTracker.class);

    private final Path directory;
    private final TrackerSettings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    public FileTracker(Path directory, TrackerSettings settings, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.settings = settings;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public List<Issue> fetchIssuesByStates(Collection<String> states) {
        if (states.isEmpty()) {
            return List.of();
        }
        Map<String, Issue> all = readAll();
        List<Issue> out = new ArrayList<>();
        for (Issue issue : all.values()) {
            if (states.stream().map(States::normalize).anyMatch(States.normalize(issue.state())::equals)) {
                out.add(withBlockers(issue, all));
            }
        }
        return out;
    }

    @Override
    public List<Issue> fetchIssuesByIds(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Issue> all = readAll();
        List<Issue> out = new ArrayList<>();
        for (String id : ids) {
            Path file = fileOf(id);
            if (Files.isRegularFile(file)) {
                Issue issue = parse(file)
                        .orElseThrow(() -> new TrackerException(
                                Category.TRACKER_RESPONSE, "issue file '" + file + "' is malformed"));
                out.add(withBlockers(issue, all));
            }
        }
        return out;
    }

    @Override
    public Issue transitionIssue(String issueId, String state) {
        lock.lock();
        try {
            Path file = existing(issueId);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String updated = withState(text, state);
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(temp, updated, StandardCharsets.UTF_8);
            move(temp, file);
            return parse(file).orElseThrow();
        } catch (IOException e) {
            throw new TrackerException(Category.TRACKER_REQUEST, "cannot move '" + issueId + "' to '" + state + "'", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addComment(String issueId, String body) {
        lock.lock();
        try {
            existing(issueId);
            Path folder = directory.resolve("comments").resolve(issueId);
            Files.createDirectories(folder);
            long count;
            try (Stream<Path> files = Files.list(folder)) {
                count = files.count();
            }
            String name = String.format(
                    "%04d-%s.md", count + 1, clock.instant().toString().replace(':', '-'));
            Path temp = folder.resolve("." + name + ".tmp");
            Files.writeString(temp, body, StandardCharsets.UTF_8);
            move(temp, folder.resolve(name));
        } catch (IOException e) {
            throw new TrackerException(Category.TRACKER_REQUEST, "cannot comment on '" + issueId + "'", e);
        } finally {
            lock.unlock();
        }
    }

    private Path existing(String issueId) {
        Path file = fileOf(issueId);
        if (!Files.isRegularFile(file)) {
            throw new TrackerException(Category.TRACKER_NOT_FOUND, "no issue file '" + file + "'");
        }
        return file;
    }

    private Path fileOf(String identifier) {
        Path file = directory.resolve(identifier + ".md").normalize();
        if (!file.getParent().equals(directory) || identifier.contains("/") || identifier.contains("\\")) {
            throw new TrackerException(Category.TRACKER_REQUEST, "invalid identifier '" + identifier + "'");
        }
        return file;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String withState(String text, String state) {
        String quoted = "state: \"" + state.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !lines[0].strip().equals("---")) {
            return "---\n" + quoted + "\n---\n" + text;
        }
        for (int i = 1; i < lines.length && !lines[i].strip().equals("---"); i++) {
            if (lines[i].startsWith("state:")) {
                lines[i] = quoted;
                return String.join("\n", lines);
            }
        }
        lines[0] = "---\n" + quoted;
        return String.join("\n", lines);
    }

    private Map<String, Issue> readAll() {
        Map<String, Issue> out = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            throw new TrackerException(Category.TRACKER_REQUEST, "issue directory '" + directory + "' does not exist");
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().endsWith(".md"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(f -> parse(f).ifPresent(issue -> out.put(issue.id(), issue)));
        } catch (IOException e) {
            throw new TrackerException(Category.TRACKER_REQUEST, "cannot list '" + directory + "'", e);
        }
        return out;
    }

    private Issue withBlockers(Issue issue, Map<String, Issue> all) {
        List<Issue.Blocker> blockers = new ArrayList<>();
        boolean open = false;
        for (Issue.Blocker b : issue.blockedBy()) {
            Issue blocker = b.identifier() == null ? null : all.get(b.identifier());
            String state = blocker == null ? null : blocker.state();
            blockers.add(new Issue.Blocker(b.identifier(), b.identifier(), state));
            open |= state != null && !settings.isTerminal(state);
        }
        return issue.toBuilder().blockedBy(blockers).dispatchable(!open).build();
    }

    private Optional<Issue> parse(Path file) {
        String stem = file.getFileName().toString();
        stem = stem.substring(0, stem.length() - ".md".length());
        try {
            WorkflowFile parsed = WorkflowFile.parse(file, Files.readString(file, StandardCharsets.UTF_8));
            Map<String, Object> fm = parsed.config();
            Object title = fm.get("title");
            Object state = fm.get("state");
            if (title == null
                    || String.valueOf(title).isBlank()
                    || state == null
                    || String.valueOf(state).isBlank()) {
                LOG.warn("issue file dropped path={} reason=\"title and state are required\"", file);
                return Optional.empty();
            }
            return Optional.of(Issue.builder(stem, stem, String.valueOf(title), String.valueOf(state))
                    .description(parsed.prompt().isEmpty() ? null : parsed.prompt())
                    .priority(fm.get("priority") instanceof Integer p ? p : null)
                    .labels(strings(fm.get("labels")))
                    .blockedBy(strings(fm.get("blocked_by")).stream()
                            .map(id -> new Issue.Blocker(id, id, null))
                            .toList())
                    .createdAt(instant(fm.get("created_at")))
                    .url(file.toUri().toString())
                    .nativeRef(Map.of("path", file.toString()))
                    .updatedAt(Files.getLastModifiedTime(file).toInstant())
                    .build());
        } catch (IOException | WorkflowException | IllegalArgumentException e) {
            LOG.warn("issue file dropped path={} reason=\"{}\"", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static List<String> strings(@Nullable Object value) {
        if (value instanceof List<?> list) {
            return list.stream()
                    .filter(java.util.Objects::nonNull)
                    .map(String::valueOf)
                    .toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    private static @Nullable Instant instant(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(String.valueOf(value)).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(String.valueOf(value))
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
