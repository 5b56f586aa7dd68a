package dev.orchestra4j.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StorageBackends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An in-memory backend whose process dies after some session-journal appends ({@link #appendsUntilDeath}; the
 * recording's appends do not count), and whose journal reads can be rewritten ({@link #onRead}): crash and recovery
 * tests set both.
 */
final class DyingStorage extends ForwardingStorageBackend {

    private static final ObjectMapper JSON = new ObjectMapper();

    volatile int appendsUntilDeath = Integer.MAX_VALUE;
    volatile UnaryOperator<ObjectNode> onRead = UnaryOperator.identity();

    DyingStorage() {
        super(StorageBackends.inMemory());
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        if (!key.startsWith("recordings/") && --appendsUntilDeath < 0) {
            throw new StateException("the process is dead");
        }
        return super.appendJournal(key, expectedLastSequence, entries);
    }

    @Override
    public List<JournalEntry> readJournal(String key, long afterSequence) {
        List<JournalEntry> out = new ArrayList<>();
        for (JournalEntry e : super.readJournal(key, afterSequence)) {
            try {
                ObjectNode tree = (ObjectNode) JSON.readTree(e.data());
                out.add(new JournalEntry(e.sequence(), JSON.writeValueAsBytes(onRead.apply(tree))));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        return out;
    }
}
