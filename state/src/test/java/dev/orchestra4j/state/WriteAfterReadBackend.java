package dev.orchestra4j.state;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A backend that, once {@link #arm() armed}, rewrites one key right after its next read, as a concurrent
 * writer would: it makes the window between a read and a conditional update deterministic.
 */
final class WriteAfterReadBackend extends ForwardingStorageBackend {

    private final StorageBackend delegate;
    private final String key;
    private final AtomicBoolean armed = new AtomicBoolean();

    WriteAfterReadBackend(StorageBackend delegate, String key) {
        super(delegate);
        this.delegate = delegate;
        this.key = key;
    }

    void arm() {
        armed.set(true);
    }

    @Override
    public Optional<StoredValue> read(String readKey) {
        Optional<StoredValue> value = delegate.read(readKey);
        if (readKey.equals(key) && value.isPresent() && armed.compareAndSet(true, false)) {
            delegate.write(key, value.get().value());
        }
        return value;
    }
}
