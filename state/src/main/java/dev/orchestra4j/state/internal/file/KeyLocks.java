package dev.orchestra4j.state.internal.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per key, across threads and processes sharing one root. A key maps (by its stable
 * {@link String#hashCode()}) to one of {@value #LOCK_FILES} lock files that are never deleted, so every
 * process agrees on the file to lock. Inside this JVM a static stripe of {@link ReentrantLock}s, chosen by
 * the lock file's path, lets only one thread at a time open a given lock file: that avoids {@link
 * java.nio.channels.OverlappingFileLockException} and the POSIX rule that closing any descriptor of a file
 * drops all of the process's locks on it, even with several backends on the same root.
 */
final class KeyLocks {

    static final String DIRECTORY = "~locks";
    private static final int LOCK_FILES = 1024;
    private static final ReentrantLock[] STRIPES = newStripes(256);

    private final Path directory;

    KeyLocks(Path root) throws IOException {
        this.directory = OwnerOnly.createDirectories(root.resolve(DIRECTORY));
    }

    /** Blocks until this thread holds the key's lock; close the result to release it. */
    Held lock(String key) throws IOException {
        Path file = directory.resolve(Integer.toHexString(Math.floorMod(key.hashCode(), LOCK_FILES)));
        ReentrantLock local = STRIPES[Math.floorMod(file.toString().hashCode(), STRIPES.length)];
        local.lock();
        try {
            FileChannel channel = FileChannel.open(
                    file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OwnerOnly.file(file));
            try {
                return new Held(local, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** A held key lock. */
    record Held(ReentrantLock local, FileChannel channel, FileLock fileLock) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            try (channel) {
                fileLock.release();
            } finally {
                local.unlock();
            }
        }
    }

    private static ReentrantLock[] newStripes(int count) {
        ReentrantLock[] stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
        return stripes;
    }
}
