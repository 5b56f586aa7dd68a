package dev.orchestra4j.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.internal.memory.MemoryCorruption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The {@link StorageBackend}'s default methods, as a third-party backend that implements only the abstract ones gets
 * them: the whole contract suite runs against such a backend, so the default fenced compare-and-set behaves like the
 * built-in ones when nothing races it. Its documented limit is pinned too: it is not atomic.
 */
final class StorageBackendTest extends StorageBackendContractTest {

    @Override
    StorageBackend createBackend(MutableClock clock) {
        return new PlainBackend(StorageBackends.inMemory(clock));
    }

    @Override
    String expectedName() {
        return "plain";
    }

    @Override
    void flipJournalBit(String key, long sequence) {
        MemoryCorruption.flipJournalBit(((PlainBackend) backend).delegate, key, sequence);
    }

    @Override
    void flipValueBit(String key, int index) {
        MemoryCorruption.flipValueBit(((PlainBackend) backend).delegate, key, index);
    }

    @Test
    void defaultFencedCompareAndSet_appendBetweenItsReadAndItsWrite_notSeen() {
        PlainBackend plain = (PlainBackend) backend;
        plain.write("j", bytes("snapshot"));
        plain.appendJournal("j", 0, List.of(bytes("a")));
        plain.appendAfterNextRead = true; // another owner's claim lands right after the default read the fence

        OptionalLong written = plain.compareAndSet("j", 1, bytes("stale"), 1);

        assertThat(plain.lastJournalSequence("j")).isEqualTo(2);
        assertThat(written).as("documented: the default checks, then writes").hasValue(2);
    }

    /** Implements exactly the abstract methods, each by delegating: every default method is the interface's own. */
    private static final class PlainBackend implements StorageBackend {

        final StorageBackend delegate;
        boolean appendAfterNextRead;

        PlainBackend(StorageBackend delegate) {
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
            long last = delegate.lastJournalSequence(key);
            if (appendAfterNextRead) {
                appendAfterNextRead = false;
                delegate.appendJournal(key, last, List.of(bytes("claim")));
            }
            return last;
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
            return "plain";
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
