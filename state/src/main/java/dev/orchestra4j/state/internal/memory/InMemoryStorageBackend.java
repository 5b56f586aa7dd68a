package dev.orchestra4j.state.internal.memory;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.state.internal.Keys;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StorageBackend} over {@link ConcurrentHashMap}s, one for values and one for journals; every
 * update is one atomic map operation on its key. An update of both (a fenced compare-and-set, a compare-and-delete)
 * runs the value's inside the journal's, always in that order.
 */
public final class InMemoryStorageBackend implements StorageBackend {

    private final ConcurrentMap<String, StoredValue> entries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, MemoryJournal> journals = new ConcurrentHashMap<>();
    /** The keys of {@code entries}, sorted for prefix listing; changed only inside a compute on the key. */
    private final ConcurrentSkipListSet<String> keys = new ConcurrentSkipListSet<>();

    private final Clock clock;

    public InMemoryStorageBackend(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<StoredValue> read(String key) {
        return Optional.ofNullable(entries.get(Keys.requireValid(key)));
    }

    @Override
    public long write(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        StoredValue stored = entries.compute(Keys.requireValid(key), (k, old) -> next(k, old, value));
        return stored.version();
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        Objects.requireNonNull(value, "value");
        Keys.requireSequence("expectedVersion", expectedVersion);
        return setIfVersion(Keys.requireValid(key), expectedVersion, value);
    }

    /**
     * Checks the journal and sets the value inside one {@code compute} on the key's journal, the same atomic update
     * every append makes: no append can land between the check and the write, and the written value is visible before
     * the journal can move on. (The nesting order, journal then value, is the one {@link #compareAndDelete} uses too,
     * so two such updates never wait for each other.)
     */
    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        Objects.requireNonNull(value, "value");
        Keys.requireSequence("expectedVersion", expectedVersion);
        Keys.requireSequence("expectedLastSequence", expectedLastSequence);
        long[] actualLast = {-1};
        OptionalLong[] written = {OptionalLong.empty()};
        journals.compute(Keys.requireValid(key), (k, journal) -> {
            long current = journal == null ? 0 : journal.last();
            if (current != expectedLastSequence) {
                actualLast[0] = current;
            } else {
                written[0] = setIfVersion(k, expectedVersion, value);
            }
            return journal;
        });
        if (actualLast[0] >= 0) {
            throw ConcurrentSessionModificationException.journal(key, expectedLastSequence, actualLast[0]);
        }
        return written[0];
    }

    private OptionalLong setIfVersion(String key, long expectedVersion, byte[] value) {
        boolean[] written = {false};
        StoredValue stored = entries.compute(key, (k, old) -> {
            long current = old == null ? 0 : old.version();
            if (current != expectedVersion) {
                return old;
            }
            written[0] = true;
            return next(k, old, value);
        });
        return written[0] ? OptionalLong.of(Objects.requireNonNull(stored).version()) : OptionalLong.empty();
    }

    @Override
    public boolean delete(String key) {
        boolean deletedJournal = journals.remove(Keys.requireValid(key)) != null;
        boolean[] deleted = {false};
        entries.computeIfPresent(key, (k, old) -> {
            keys.remove(k);
            deleted[0] = true;
            return null;
        });
        return deleted[0] || deletedJournal;
    }

    /** Deletes the value inside a {@code compute} on the key's journal, which goes with it: journal, then value. */
    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        Keys.requirePositiveVersion(expectedVersion);
        boolean[] deleted = {false};
        journals.compute(Keys.requireValid(key), (k, journal) -> {
            entries.computeIfPresent(k, (same, old) -> {
                deleted[0] = old.version() == expectedVersion;
                if (deleted[0]) {
                    keys.remove(same);
                }
                return deleted[0] ? null : old;
            });
            return deleted[0] ? null : journal;
        });
        return deleted[0];
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> data) {
        Keys.requireAppend(expectedLastSequence, data);
        long[] outcome = {0, -1}; // new last sequence, or the conflicting current one
        journals.compute(Keys.requireValid(key), (k, journal) -> {
            long current = journal == null ? 0 : journal.last();
            if (current != expectedLastSequence) {
                outcome[1] = current;
                return journal;
            }
            MemoryJournal target = journal == null ? new MemoryJournal() : journal;
            outcome[0] = target.append(data, clock.instant());
            return target;
        });
        if (outcome[1] >= 0) {
            throw ConcurrentSessionModificationException.journal(key, expectedLastSequence, outcome[1]);
        }
        return outcome[0];
    }

    @Override
    public List<JournalEntry> readJournal(String key, long afterSequence) {
        Keys.requireSequence("afterSequence", afterSequence);
        List<List<JournalEntry>> read = new ArrayList<>(1);
        journals.computeIfPresent(Keys.requireValid(key), (k, journal) -> {
            read.add(journal.after(afterSequence, k));
            return journal;
        });
        return read.isEmpty() ? List.of() : read.getFirst();
    }

    @Override
    public long lastJournalSequence(String key) {
        long[] last = {0};
        journals.computeIfPresent(Keys.requireValid(key), (k, journal) -> {
            last[0] = journal.last();
            return journal;
        });
        return last[0];
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        Keys.requireSequence("throughSequence", throughSequence);
        journals.computeIfPresent(Keys.requireValid(key), (k, journal) -> {
            journal.truncate(throughSequence);
            return journal;
        });
    }

    @Override
    public List<String> list(String prefix) {
        Keys.requireValidPrefix(prefix);
        return List.copyOf(keys.subSet(prefix, prefix + Character.MAX_VALUE));
    }

    @Override
    public int expireOlderThan(Duration age) {
        Instant cutoff = clock.instant().minus(Keys.requirePositiveAge(age));
        Set<String> keys = new TreeSet<>(entries.keySet());
        keys.addAll(journals.keySet());
        int removed = 0;
        for (String key : keys) {
            removed += expireIfOlder(key, cutoff) ? 1 : 0;
        }
        return removed;
    }

    /** Flips one bit of a stored journal entry, as memory corruption would; for checksum tests. */
    void flipJournalBit(String key, long sequence) {
        journals.computeIfPresent(key, (k, journal) -> {
            journal.flipBit(sequence);
            return journal;
        });
    }

    /** Flips one bit of a stored value (keeping version and time), as memory corruption would. */
    void flipValueBit(String key, int index) {
        entries.computeIfPresent(key, (k, old) -> {
            byte[] value = old.value();
            value[index] ^= 1;
            return new StoredValue(value, old.version(), old.updatedAt());
        });
    }

    private boolean expireIfOlder(String key, Instant cutoff) {
        StoredValue value = entries.get(key);
        MemoryJournal journal = journals.get(key);
        if ((value != null && !value.updatedAt().isBefore(cutoff))
                || (journal != null && !journal.appendedAt().isBefore(cutoff))) {
            return false;
        }
        boolean[] removedJournal = {false};
        journals.computeIfPresent(key, (k, j) -> {
            removedJournal[0] = j.appendedAt().isBefore(cutoff);
            return removedJournal[0] ? null : j;
        });
        boolean[] removedValue = {false};
        if (value != null) {
            entries.computeIfPresent(key, (k, old) -> {
                removedValue[0] = old == value;
                if (removedValue[0]) {
                    keys.remove(k);
                }
                return removedValue[0] ? null : old;
            });
        }
        return removedValue[0] || removedJournal[0];
    }

    @Override
    public String toString() {
        return "InMemoryStorageBackend[" + entries.size() + " entries]";
    }

    @Override
    public String name() {
        return "memory";
    }

    private StoredValue next(String key, @Nullable StoredValue old, byte[] value) {
        if (old == null) {
            keys.add(key);
        }
        long version = old == null ? 1 : old.version() + 1;
        return new StoredValue(value, version, clock.instant());
    }
}
