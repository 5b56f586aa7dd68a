package dev.orchestra4j.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Base of the public backend classes: forwards every call to an implementation in {@code internal}. */
abstract class ForwardingStorageBackend implements StorageBackend {

    private final StorageBackend delegate;

    ForwardingStorageBackend(StorageBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public final Optional<StoredValue> read(String key) {
        return delegate.read(key);
    }

    @Override
    public final long write(String key, byte[] value) {
        return delegate.write(key, value);
    }

    @Override
    public final OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        return delegate.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public final boolean delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public final boolean compareAndDelete(String key, long expectedVersion) {
        return delegate.compareAndDelete(key, expectedVersion);
    }

    @Override
    public final long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        return delegate.appendJournal(key, expectedLastSequence, entries);
    }

    @Override
    public final List<JournalEntry> readJournal(String key, long afterSequence) {
        return delegate.readJournal(key, afterSequence);
    }

    @Override
    public final long lastJournalSequence(String key) {
        return delegate.lastJournalSequence(key);
    }

    @Override
    public final void truncateJournal(String key, long throughSequence) {
        delegate.truncateJournal(key, throughSequence);
    }

    @Override
    public final List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public final int expireOlderThan(Duration age) {
        return delegate.expireOlderThan(age);
    }

    @Override
    public final String name() {
        return delegate.name();
    }

    @Override
    public final void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
