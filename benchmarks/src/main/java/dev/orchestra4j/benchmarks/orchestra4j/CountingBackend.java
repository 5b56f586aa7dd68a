package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StorageBackend;
import java.util.List;
import java.util.OptionalLong;

/** A storage backend that counts the bytes written through it (values and journal entries) and its journal appends. */
final class CountingBackend extends ForwardingStorageBackend {

    long bytesWritten;
    long appends;

    CountingBackend(StorageBackend delegate) {
        super(delegate);
    }

    @Override
    public synchronized long write(String key, byte[] value) {
        bytesWritten += value.length;
        return super.write(key, value);
    }

    @Override
    public synchronized OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        bytesWritten += value.length;
        return super.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public synchronized OptionalLong compareAndSet(
            String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        bytesWritten += value.length;
        return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
    }

    @Override
    public synchronized long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        appends++;
        for (byte[] entry : entries) {
            bytesWritten += entry.length;
        }
        return super.appendJournal(key, expectedLastSequence, entries);
    }
}
