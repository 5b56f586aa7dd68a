package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.file.FileStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A {@link StorageBackend} that keeps one file per key under a root directory.
 *
 * <p>Writes go to a temporary file in the target's directory, are forced to disk, atomically renamed
 * over the old file, and the directory is forced too (where the platform allows), so a crash leaves the
 * old or the new entry, never a partial one. {@link Durability#PROCESS_CRASH} skips the two forces: still
 * atomic and safe when the JVM is killed, much faster, but the last writes may be lost if the operating
 * system crashes or the power fails. Version and write time sit in a small header in front of
 * the value. Compare-and-set is safe across threads and across processes sharing the root (file locks
 * under {@code <root>/~locks}). Keys that would resolve outside the root, lexically or through symbolic
 * links, are rejected. Deleting the last key of a directory removes the empty directory.
 *
 * <p>A key's journal is an append-only segment file next to its data file ({@code <key>~journal}): each
 * append is one write and one {@code fsync} (the first append of a key creates the segment through a
 * temporary file and also forces the directory), fenced by the key's cross-process lock; a compare-and-set
 * fenced by the journal reads the journal's last sequence and writes the value under that same lock. A crash during
 * an append leaves at most a torn last record, which reads ignore and the next append overwrites; a
 * complete record that fails its checksum is reported. Truncation rewrites the segment atomically.
 * Files and directories are created owner-only ({@code rw-------}, {@code rwx------}) where POSIX
 * permissions exist.
 */
public final class FileStorageBackend extends ForwardingStorageBackend {

    /** What a completed write survives. */
    public enum Durability {
        /** Data and directory are forced to disk on every change: survives power loss (the default). */
        POWER_LOSS,
        /** Atomic rename without forcing to disk: survives the JVM being killed, not an OS crash. */
        PROCESS_CRASH
    }

    private final Path root;

    /** A backend under {@code root} (created if absent), stamping entries with the system UTC clock. */
    public FileStorageBackend(Path root) {
        this(root, Clock.systemUTC());
    }

    /** A backend under {@code root} (created if absent), stamping entries with {@code clock}. */
    public FileStorageBackend(Path root, Clock clock) {
        this(root, clock, Durability.POWER_LOSS);
    }

    /** A backend under {@code root} (created if absent) with the given durability. */
    public FileStorageBackend(Path root, Clock clock, Durability durability) {
        this(new FileStore(root, clock, durability == Durability.POWER_LOSS));
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
