package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.WorkflowException;
import dev.orchestra4j.runner.WorkflowFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last good {@code WORKFLOW.md}: {@link #check()} compares the file's {mtime, size, hash} and re-reads it
 * when it changed; an invalid file keeps the previous config and prompt and is reported by {@link #error()} (and in
 * the log) until it is fixed. Thread-safe.
 */
public final class WorkflowWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowWatcher.class);

    /** A loaded workflow: its config and its parsed prompt. */
    public record Loaded(WorkflowFile file, RunnerConfig config, PromptTemplate prompt) {}

    private final Path path;
    private final Map<String, String> environment;
    private volatile Loaded current;
    private volatile @Nullable String error;
    private volatile Stamp stamp;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    private record Stamp(long mtime, long size, byte[] hash) {
        boolean sameAs(Stamp other) {
            return mtime == other.mtime && size == other.size && Arrays.equals(hash, other.hash);
        }
    }

    /** Loads the workflow; an invalid one throws {@link WorkflowException} (the service must not boot). */
    public WorkflowWatcher(Path path, Map<String, String> environment) {
        this.path = path.toAbsolutePath().normalize();
        this.environment = environment;
        this.stamp = stamp();
        this.current = load();
    }

    private Loaded load() {
        WorkflowFile file = WorkflowFile.load(path);
        RunnerConfig config = RunnerConfig.from(file, environment);
        return new Loaded(file, config, PromptTemplate.parse(file.prompt()));
    }

    public Loaded current() {
        return current;
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** Re-reads the file if it changed; returns whether a new config was applied. */
    public boolean check() {
        lock.lock();
        try {
            return reload();
        } finally {
            lock.unlock();
        }
    }

    private boolean reload() {
        Stamp now = stamp();
        if (now.sameAs(stamp)) {
            return false;
        }
        stamp = now;
        try {
            current = load();
            if (error != null) {
                LOG.info("workflow reloaded path={} outcome=recovered", path);
            } else {
                LOG.info("workflow reloaded path={} outcome=applied", path);
            }
            error = null;
            return true;
        } catch (WorkflowException e) {
            error = e.getMessage();
            LOG.warn("workflow reload failed path={} outcome=kept_last_good reason=\"{}\"", path, e.getMessage());
            return false;
        }
    }

    private Stamp stamp() {
        try {
            byte[] bytes = Files.readAllBytes(path);
            return new Stamp(
                    Files.getLastModifiedTime(path).toMillis(),
                    bytes.length,
                    MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException e) {
            return new Stamp(-1, -1, new byte[0]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
