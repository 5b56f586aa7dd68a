package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A storage backend that counts the bytes written through it (values and journal entries) and its journal appends. */
final class CountingBackend implements StorageBackend {

    private final StorageBackend delegate;
    long bytesWritten;
    long appends;

    CountingBackend(StorageBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<StoredValue> read(String key) {
        return delegate.read(key);
    }

    @Override
    public synchronized long write(String key, byte[] value) {
        bytesWritten += value.length;
        return delegate.write(key, value);
    }

    @Override
    public synchronized OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        bytesWritten += value.length;
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
    public synchronized long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        appends++;
        for (byte[] entry : entries) {
            bytesWritten += entry.length;
        }
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
        return delegate.name();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
