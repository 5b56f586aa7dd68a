package dev.orchestra4j.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A storage backend that forwards every call to another. Extend it to decorate a backend — count what is written,
 * inject failures, trace calls — overriding only the calls that change; the public backend classes are built on it
 * too (each forwards to its implementation). Each call goes to the delegate's own method, the {@linkplain
 * #compareAndSet(String, long, byte[], long) fenced compare-and-set} included (not to the unfenced one): a decorator
 * that watches or changes writes of values overrides both {@code compareAndSet} methods.
 *
 * <pre>{@code
 * StorageBackend counting = new ForwardingStorageBackend(StorageBackends.inMemory()) {
 *     public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
 *         appends.increment();
 *         return super.appendJournal(key, expectedLastSequence, entries);
 *     }
 * };
 * }</pre>
 */
public abstract class ForwardingStorageBackend implements StorageBackend {

    private final StorageBackend delegate;

    /** @param delegate the backend every call goes to */
    protected ForwardingStorageBackend(StorageBackend delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    /** The backend every call goes to. */
    protected final StorageBackend delegate() {
        return delegate;
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
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        return delegate.compareAndSet(key, expectedVersion, value, expectedLastSequence);
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
        return delegate.name();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
