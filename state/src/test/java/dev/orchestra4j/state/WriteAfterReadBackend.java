package dev.orchestra4j.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A backend that, once {@link #arm() armed}, rewrites one key right after its next read, as a concurrent
 * writer would: it makes the window between a read and a conditional update deterministic.
 */
final class WriteAfterReadBackend implements StorageBackend {

    private final StorageBackend delegate;
    private final String key;
    private final AtomicBoolean armed = new AtomicBoolean();

    void arm() {
        armed.set(true);
    }

    WriteAfterReadBackend(StorageBackend delegate, String key) {
        this.delegate = delegate;
        this.key = key;
    }

    @Override
    public Optional<StoredValue> read(String readKey) {
        Optional<StoredValue> value = delegate.read(readKey);
        if (readKey.equals(key) && value.isPresent() && armed.compareAndSet(true, false)) {
            delegate.write(key, value.get().value());
        }
        return value;
    }

    @Override
    public long write(String writeKey, byte[] value) {
        return delegate.write(writeKey, value);
    }

    @Override
    public OptionalLong compareAndSet(String casKey, long expectedVersion, byte[] value) {
        return delegate.compareAndSet(casKey, expectedVersion, value);
    }

    @Override
    public boolean delete(String deleteKey) {
        return delegate.delete(deleteKey);
    }

    @Override
    public boolean compareAndDelete(String deleteKey, long expectedVersion) {
        return delegate.compareAndDelete(deleteKey, expectedVersion);
    }

    @Override
    public long appendJournal(String journalKey, long expectedLastSequence, List<byte[]> entries) {
        return delegate.appendJournal(journalKey, expectedLastSequence, entries);
    }

    @Override
    public List<JournalEntry> readJournal(String journalKey, long afterSequence) {
        return delegate.readJournal(journalKey, afterSequence);
    }

    @Override
    public long lastJournalSequence(String journalKey) {
        return delegate.lastJournalSequence(journalKey);
    }

    @Override
    public void truncateJournal(String journalKey, long throughSequence) {
        delegate.truncateJournal(journalKey, throughSequence);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public int expireOlderThan(Duration age) {
        return delegate.expireOlderThan(age);
    }

    @Override
    public String name() {
        return delegate.name();
    }
}
