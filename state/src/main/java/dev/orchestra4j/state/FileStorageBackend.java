package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.file.FileStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A {@link StorageBackend} that keeps one file per key under a root directory.
 *
 * <p>Writes go to a temporary file in the target's directory, are forced to disk, atomically renamed
 * over the old file, and the directory is forced too (where the platform allows), so a crash leaves the
 * old or the new entry, never a partial one. Version and write time sit in a small header in front of
 * the value. Compare-and-set is safe across threads and across processes sharing the root (file locks
 * under {@code <root>/~locks}). Keys that would resolve outside the root, lexically or through symbolic
 * links, are rejected. Deleting the last key of a directory removes the empty directory.
 */
public final class FileStorageBackend extends ForwardingStorageBackend {

    private final Path root;

    /** A backend under {@code root} (created if absent), stamping entries with the system UTC clock. */
    public FileStorageBackend(Path root) {
        this(root, Clock.systemUTC());
    }

    /** A backend under {@code root} (created if absent), stamping entries with {@code clock}. */
    public FileStorageBackend(Path root, Clock clock) {
        this(new FileStore(root, clock));
    }

    private FileStorageBackend(FileStore store) {
        super(store);
        this.root = store.root();
    }

    /** The real, absolute root directory. */
    public Path root() {
        return root;
    }
}
