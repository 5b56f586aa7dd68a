package dev.orchestra4j.state.internal.file;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.state.internal.Keys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/** A {@link StorageBackend} keeping one crash-safe file per key under a root directory. */
public final class FileStore implements StorageBackend {

    private static final long NO_FENCE = -1;

    private final KeyPaths paths;
    private final KeyLocks locks;
    private final Clock clock;
    private final boolean sync;
    private final FileJournals journals;

    /**
     * @param sync whether to force files and directories to disk on every change (survives power loss)
     *     or only rename atomically (survives the process being killed, not the OS crashing)
     */
    public FileStore(Path root, Clock clock, boolean sync) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sync = sync;
        try {
            Path realRoot = OwnerOnly.createDirectories(root.toAbsolutePath().normalize())
                    .toRealPath();
            this.paths = new KeyPaths(realRoot);
            this.locks = new KeyLocks(realRoot);
            this.journals = new FileJournals(paths, clock, sync);
        } catch (IOException e) {
            throw new StateException("Cannot open storage root '" + root + "'", e);
        }
    }

    public Path root() {
        return paths.root();
    }

    @Override
    public Optional<StoredValue> read(String key) {
        Path file = paths.dataFile(key);
        try {
            paths.requirePhysicallyInside(file.getParent(), key);
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            EntryHeader header = EntryHeader.parse(bytes, key, file);
            byte[] value = new byte[bytes.remaining()];
            bytes.get(value);
            return Optional.of(new StoredValue(value, header.version(), header.updatedAt()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public long write(String key, byte[] value) {
        return update(key, current -> true, value, NO_FENCE).orElseThrow();
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        Keys.requireSequence("expectedVersion", expectedVersion);
        return update(key, current -> current == expectedVersion, value, NO_FENCE);
    }

    /** Reads the journal's last sequence under the key's lock, which every append holds: nothing appends meanwhile. */
    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        Keys.requireSequence("expectedVersion", expectedVersion);
        Keys.requireSequence("expectedLastSequence", expectedLastSequence);
        return update(key, current -> current == expectedVersion, value, expectedLastSequence);
    }

    @Override
    public boolean delete(String key) {
        Path file = paths.dataFile(key);
        return locked("delete", key, () -> {
            paths.requirePhysicallyInside(file.getParent(), key);
            return deleteValueAndJournal(key, file);
        });
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        Keys.requirePositiveVersion(expectedVersion);
        Path file = paths.dataFile(key);
        return locked("delete", key, () -> {
            paths.requirePhysicallyInside(file.getParent(), key);
            if (header(key, file).map(EntryHeader::version).orElse(0L) != expectedVersion) {
                return false;
            }
            return deleteValueAndJournal(key, file);
        });
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        Path file = paths.journalFile(key);
        return locked("append to the journal of", key, () -> {
            paths.requirePhysicallyInside(file.getParent(), key);
            return journals.append(key, expectedLastSequence, entries);
        });
    }

    @Override
    public List<JournalEntry> readJournal(String key, long afterSequence) {
        Path file = paths.journalFile(key);
        try {
            paths.requirePhysicallyInside(file.getParent(), key);
            return journals.read(key, afterSequence);
        } catch (IOException e) {
            throw failure("read the journal of", key, e);
        }
    }

    @Override
    public long lastJournalSequence(String key) {
        Path file = paths.journalFile(key);
        try {
            paths.requirePhysicallyInside(file.getParent(), key);
            return journals.last(key);
        } catch (IOException e) {
            throw failure("read the journal of", key, e);
        }
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        Path file = paths.journalFile(key);
        locked("truncate the journal of", key, () -> {
            paths.requirePhysicallyInside(file.getParent(), key);
            journals.truncate(key, throughSequence);
            return null;
        });
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        walk(
                paths.walkStart(prefix),
                file -> paths.keyOf(file).filter(key -> key.startsWith(prefix)).ifPresent(keys::add));
        return keys.stream().sorted().toList();
    }

    @Override
    public int expireOlderThan(Duration age) {
        Keys.requirePositiveAge(age);
        Instant cutoff = clock.instant().minus(age);
        Set<String> expired = new TreeSet<>();
        walk(paths.root(), file -> paths.keyOfDataOrJournal(file).ifPresent(expired::add));
        int deleted = 0;
        for (String key : expired) {
            deleted += deleteIfOlder(key, cutoff) ? 1 : 0;
        }
        return deleted;
    }

    @Override
    public String toString() {
        return "FileStore[" + paths.root() + "]";
    }

    @Override
    public String name() {
        return "file";
    }

    /** Writes under the key's lock; {@code expectedLast} fences the write by the journal unless it is {@link #NO_FENCE}. */
    private OptionalLong update(String key, LongPredicate acceptCurrentVersion, byte[] value, long expectedLast) {
        Objects.requireNonNull(value, "value");
        Path file = paths.dataFile(key);
        return locked("write", key, () -> {
            paths.requirePhysicallyInside(file.getParent(), key);
            if (expectedLast != NO_FENCE) {
                long last = journals.last(key);
                if (last != expectedLast) {
                    throw ConcurrentSessionModificationException.journal(key, expectedLast, last);
                }
            }
            long current = header(key, file).map(EntryHeader::version).orElse(0L);
            if (!acceptCurrentVersion.test(current)) {
                return OptionalLong.empty();
            }
            EntryHeader next = new EntryHeader(current + 1, clock.instant());
            AtomicFiles.replace(file, next.toBuffer(), value, sync);
            return OptionalLong.of(next.version());
        });
    }

    private boolean deleteIfOlder(String key, Instant cutoff) {
        Path file = paths.dataFile(key);
        return locked("expire", key, () -> {
            paths.requirePhysicallyInside(file.getParent(), key);
            boolean valueOld =
                    header(key, file).map(h -> h.updatedAt().isBefore(cutoff)).orElse(true);
            boolean journalOld =
                    journals.lastWrite(key).map(t -> t.isBefore(cutoff)).orElse(true);
            return valueOld && journalOld && deleteValueAndJournal(key, file);
        });
    }

    private boolean deleteValueAndJournal(String key, Path file) throws IOException {
        boolean deletedJournal = AtomicFiles.delete(paths.journalFile(key), sync);
        journals.forget(key);
        boolean deleted = AtomicFiles.delete(file, sync) || deletedJournal;
        AtomicFiles.pruneEmptyDirectories(file.getParent(), paths.root());
        return deleted;
    }

    /** Runs {@code action} while holding the key's lock (threads and processes). */
    private <T> T locked(String operation, String key, IoAction<T> action) {
        try {
            KeyLocks.Held held = locks.lock(key);
            try {
                return action.run();
            } finally {
                held.close();
            }
        } catch (IOException e) {
            throw failure(operation, key, e);
        }
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }

    /** Reads just the header of the key's file; empty when the file does not exist. */
    private static Optional<EntryHeader> header(String key, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(EntryHeader.LENGTH);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading until the header is complete or the file ends
            }
            return Optional.of(EntryHeader.parse(buffer.flip(), key, file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void walk(Path start, Consumer<Path> onFile) {
        Path locksDirectory = paths.root().resolve(KeyLocks.DIRECTORY);
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.equals(locksDirectory) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !AtomicFiles.isTemp(file)) {
                        onFile.accept(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (NoSuchFileException e) {
            // nothing stored under this prefix yet
        } catch (IOException e) {
            throw new StateException("Cannot list keys under '" + start + "'", e);
        }
    }

    private StateException failure(String operation, String key, IOException e) {
        return new StateException(
                "Cannot " + operation + " key '" + key + "' under storage root '" + paths.root() + "'", e);
    }
}
