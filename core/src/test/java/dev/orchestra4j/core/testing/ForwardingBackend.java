package dev.orchestra4j.core.testing;

import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A storage backend that forwards every call to another: tests override the calls they break or watch. */
public abstract class ForwardingBackend implements StorageBackend {

    protected final StorageBackend delegate;

    protected ForwardingBackend(StorageBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<StoredValue> read(String key) {
        return delegate.read(key);
    }

    @Override
    public long write(String key, byte[] value) {
        return delegate.write(key, value);
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        return delegate.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public boolean delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        return delegate.compareAndDelete(key, expectedVersion);
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        return delegate.appendJournal(key, expectedLastSequence, entries);
    }

    @Override
    public List<JournalEntry> readJournal(String key, long afterSequence) {
        return delegate.readJournal(key, afterSequence);
    }

    @Override
    public long lastJournalSequence(String key) {
        return delegate.lastJournalSequence(key);
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        delegate.truncateJournal(key, throughSequence);
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
        return "forwarding(" + delegate.name() + ")";
    }

    @Override
    public void close() {
        delegate.close();
    }
}
