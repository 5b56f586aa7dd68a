package dev.orchestra4j.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A small versioned key-value store: the SPI behind {@link StateManager}.
 *
 * <p>Every entry has a version that starts at 1 when the key is created and grows by one with every
 * write. Keys consist of {@code [A-Za-z0-9._:/-]}, are at most 512 characters long and are made of
 * segments of at most 200 characters separated by {@code '/'}; empty, {@code "."} and {@code ".."}
 * segments are rejected with an {@link IllegalArgumentException} naming the key. Implementations are thread-safe; storage failures are
 * reported as {@link StateException}. Deleting a key and creating it again restarts its version at 1.
 *
 * <p>Besides its value, every key can have an append-only <em>journal</em>: entries numbered 1, 2, 3, …
 * that are appended in batches, read in order and truncated from the front once a snapshot covers them
 * (compaction). The journal's last sequence number is the fencing token of a session's owner: an append
 * names the last sequence its writer knows, and a writer that is behind (a stale owner, in this or in
 * another process) is rejected atomically, with nothing written; a {@linkplain #compareAndSet(String, long, byte[],
 * long) fenced compare-and-set} rejects its writes of the value the same way. Every entry is stored with a CRC32C of
 * its bytes; a damaged entry is reported as a {@link StateException} naming the key and the sequence,
 * never returned. {@link #list} and {@link #read} see values only; {@link #delete}, {@link
 * #compareAndDelete} and {@link #expireOlderThan} remove a key's journal together with its value.
 */
public interface StorageBackend extends AutoCloseable {

    /** Returns the entry stored under {@code key}, or empty when there is none. */
    Optional<StoredValue> read(String key);

    /** Atomically stores {@code value} under {@code key}, whatever was there, and returns the new version. */
    long write(String key, byte[] value);

    /**
     * Atomically stores {@code value} only if the entry's current version is {@code expectedVersion}
     * ({@code 0} means the key must not exist).
     *
     * @return the new version, or empty when the stored version differs (nothing was written)
     */
    OptionalLong compareAndSet(String key, long expectedVersion, byte[] value);

    /**
     * A compare-and-set fenced by the key's journal: atomically stores {@code value} only if the entry's current
     * version is {@code expectedVersion} ({@code 0} means the key must not exist) <em>and</em> the journal's last
     * sequence is {@code expectedLastSequence} ({@code 0}: the journal was never written, or was deleted). The
     * journal is only read, never changed. Like {@link java.util.concurrent.atomic.AtomicStampedReference}, the
     * sequence is the stamp: an owner that lost the session to another (whose claim appended to the journal) can no
     * longer write the value either, even where the value's version still matches — for example when the new
     * owner's own write of the value failed after its claim. Truncation does not move the last sequence, so the
     * fence holds across compaction. The journal is checked first: when both differ, the journal's conflict is
     * reported.
     *
     * <p>The built-in backends check and write in one atomic step, across processes where the backend is shared:
     * in memory inside the atomic update of the key's journal, on files under the key's lock (which appends hold
     * too), on PostgreSQL in one transaction holding the lock of the journal's head row, on Redis in one script.
     * <strong>The default implementation is not atomic</strong>: it reads {@link #lastJournalSequence} and then
     * calls {@link #compareAndSet(String, long, byte[])}, so an append that lands between the two calls is not
     * seen. It suits a backend whose journal has one writer; any other should override this method.
     *
     * @return the new version, or empty when the stored version differs (nothing was written)
     * @throws ConcurrentSessionModificationException if the journal's last sequence differs (a stale writer;
     *     nothing was written), reported as a refused {@link #appendJournal} is: for the journal of {@code key}, with
     *     the sequences as {@link ConcurrentSessionModificationException#expectedVersion() expected} and {@link
     *     ConcurrentSessionModificationException#actualVersion() actual} versions
     * @throws IllegalArgumentException if {@code expectedVersion} or {@code expectedLastSequence} is negative
     */
    default OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion);
        }
        if (expectedLastSequence < 0) {
            throw new IllegalArgumentException(
                    "expectedLastSequence must not be negative, was " + expectedLastSequence);
        }
        long last = lastJournalSequence(key);
        if (last != expectedLastSequence) {
            throw ConcurrentSessionModificationException.journal(key, expectedLastSequence, last);
        }
        return compareAndSet(key, expectedVersion, value);
    }

    /** Deletes the entry and its journal; idempotent. Returns {@code true} if something was deleted. */
    boolean delete(String key);

    /**
     * Atomically deletes the entry (and its journal) only if its current version is {@code expectedVersion}
     * (positive).
     *
     * @return {@code true} if it was deleted; {@code false} if it is missing or has another version
     */
    boolean compareAndDelete(String key, long expectedVersion);

    /**
     * Atomically appends {@code entries} to the key's journal as sequences {@code expectedLastSequence + 1},
     * {@code + 2}, …, and returns the new last sequence. The append happens only if the journal's current
     * last sequence is {@code expectedLastSequence} ({@code 0}: the journal is empty and was never
     * written); otherwise nothing is written. On the file backend the entries are forced to disk with one
     * {@code fsync}.
     *
     * @throws ConcurrentSessionModificationException if the last sequence differs (a stale writer)
     * @throws IllegalArgumentException if {@code entries} is empty or {@code expectedLastSequence} negative
     */
    long appendJournal(String key, long expectedLastSequence, List<byte[]> entries);

    /**
     * The key's journal entries with a sequence greater than {@code afterSequence}, in order (empty when
     * there are none or the key has no journal). Entries removed by {@link #truncateJournal} are not
     * returned. A partially written last entry left by a crash during an append is ignored: that append
     * never returned.
     *
     * @throws StateException if a stored entry fails its checksum (the message names key and sequence)
     */
    List<JournalEntry> readJournal(String key, long afterSequence);

    /**
     * The sequence of the last entry ever appended to the key's journal ({@code 0} if none), also when
     * {@link #truncateJournal} has removed it: truncation never rewinds the sequence, only a delete does.
     */
    long lastJournalSequence(String key);

    /**
     * Removes the journal entries with a sequence up to and including {@code throughSequence}, for
     * example once a snapshot covers them. Idempotent; a sequence beyond the last one removes every entry
     * but keeps the last sequence.
     */
    void truncateJournal(String key, long throughSequence);

    /** Returns the keys starting with {@code prefix} (may be empty), sorted in natural string order. */
    List<String> list(String prefix);

    /**
     * Deletes every key whose value and journal were both last written longer than {@code age} ago,
     * measured with the backend's clock; a key with only a journal expires with its last append.
     *
     * @return the number of deleted keys
     * @throws IllegalArgumentException if {@code age} is zero or negative (that would delete everything)
     */
    int expireOlderThan(Duration age);

    /** A short backend name for metric tags: {@code "memory"}, {@code "file"}, {@code "jdbc"}, {@code "redis"}. */
    String name();

    /** Releases connections or handles; the backend must not be used afterwards. */
    @Override
    default void close() {}
}
