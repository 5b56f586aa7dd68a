package dev.orchestra4j.state.internal.file;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.internal.Keys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The journals of a {@link FileStore}: one append-only segment file per key ({@link JournalFile}).
 * Appends and truncations hold the key's lock (threads and processes); reads take no lock, since a
 * segment only grows by whole appends or is replaced atomically.
 */
final class FileJournals {

    /**
     * What the last append in this process left at the end of a segment. It is trusted only while the
     * file is that very file (same file key, size and modification time), so another process's append or
     * truncation makes the next append rescan; it spares re-reading the segment on every append.
     */
    private record Tail(Object fileKey, FileTime modified, long size, long last) {

        boolean describes(BasicFileAttributes attributes) {
            return fileKey.equals(attributes.fileKey())
                    && size == attributes.size()
                    && modified.equals(attributes.lastModifiedTime());
        }
    }

    private final Cache<Path, Tail> tails =
            Caffeine.newBuilder().maximumSize(10_000).build();
    private final KeyPaths paths;
    private final Clock clock;
    private final boolean sync;

    FileJournals(KeyPaths paths, Clock clock, boolean sync) {
        this.paths = paths;
        this.clock = clock;
        this.sync = sync;
    }

    /**
     * Appends under the caller's lock of the key: one write and one {@code fsync} of the segment (the
     * first append creates the segment through a temporary file, which also forces the directory).
     */
    long append(String key, long expectedLast, List<byte[]> data) throws IOException {
        Keys.requireAppend(expectedLast, data);
        Path file = paths.journalFile(key);
        Optional<Tail> tail = tail(key, file);
        long current = tail.map(Tail::last).orElse(0L);
        if (current != expectedLast) {
            throw ConcurrentSessionModificationException.journal(key, expectedLast, current);
        }
        long micros = micros(clock.instant());
        ByteBuffer records = JournalFile.records(expectedLast + 1, micros, data);
        if (tail.isEmpty()) {
            byte[] body = new byte[records.remaining()];
            records.get(body);
            AtomicFiles.replace(file, JournalFile.header(0, micros), body, sync);
        } else {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                long end = tail.get().size();
                if (channel.size() > end) {
                    channel.truncate(end); // drop the torn tail of an append that never returned
                }
                channel.position(end);
                while (records.hasRemaining()) {
                    channel.write(records);
                }
                if (sync) {
                    channel.force(false);
                }
            }
        }
        long last = expectedLast + data.size();
        remember(file, last);
        return last;
    }

    /** The segment's last sequence and valid end: from the cache if the file is unchanged, else by a scan. */
    private Optional<Tail> tail(String key, Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            tails.invalidate(file);
            return Optional.empty();
        }
        Tail cached = tails.getIfPresent(file);
        if (cached != null && cached.describes(attributes)) {
            return Optional.of(cached);
        }
        return scan(key, file, Long.MAX_VALUE, false)
                .map(scan -> new Tail(
                        Objects.requireNonNullElse(attributes.fileKey(), file),
                        attributes.lastModifiedTime(),
                        scan.validEnd(),
                        scan.last()));
    }

    /** Caches the segment's state after this process wrote it (when the file system has file keys). */
    private void remember(Path file, long last) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes.fileKey() != null) {
            tails.put(file, new Tail(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size(), last));
        }
    }

    List<JournalEntry> read(String key, long after) throws IOException {
        Keys.requireSequence("afterSequence", after);
        return scan(key, paths.journalFile(key), after, true)
                .map(JournalFile.Scan::entries)
                .orElse(List.of());
    }

    long last(String key) throws IOException {
        return tail(key, paths.journalFile(key)).map(Tail::last).orElse(0L);
    }

    /** Forgets what this process knew about the key's segment (after deleting it). */
    void forget(String key) {
        tails.invalidate(paths.journalFile(key));
    }

    /** The time of the key's last append or truncation, if it has a journal. */
    Optional<Instant> lastWrite(String key) throws IOException {
        return scan(key, paths.journalFile(key), Long.MAX_VALUE, false)
                .map(s -> Instant.EPOCH.plus(s.lastWriteMicros(), ChronoUnit.MICROS));
    }

    /** Truncates under the caller's lock of the key, rewriting the segment through a temporary file. */
    void truncate(String key, long through) throws IOException {
        Keys.requireSequence("throughSequence", through);
        Path file = paths.journalFile(key);
        Optional<byte[]> bytes = readIfExists(file);
        if (bytes.isEmpty()) {
            return;
        }
        JournalFile.Scan scan = JournalFile.scan(bytes.get(), through, false, key, file);
        long base = Math.min(through, scan.last());
        if (scan.base() >= base) {
            return;
        }
        byte[] kept = Arrays.copyOfRange(bytes.get(), scan.keptFrom(), scan.validEnd());
        AtomicFiles.replace(file, JournalFile.header(base, micros(clock.instant())), kept, sync);
        remember(file, scan.last());
    }

    private static Optional<JournalFile.Scan> scan(String key, Path file, long after, boolean collect)
            throws IOException {
        return readIfExists(file).map(bytes -> JournalFile.scan(bytes, after, collect, key, file));
    }

    private static Optional<byte[]> readIfExists(Path file) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
