package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;

/**
 * Increments a counter key with compare-and-set, or with a fourth argument {@code journal} appends to the
 * key's journal fenced by its last sequence; run as a second JVM by {@link FileStorageBackendTest}.
 * Arguments: root directory, key, attempts. Prints {@code ready}, then {@code successes=<n>}.
 */
final class CrossProcessIncrementer {

    private CrossProcessIncrementer() {}

    public static void main(String[] args) {
        try (StorageBackend backend = new FileStorageBackend(Path.of(args[0]))) {
            System.out.println("ready");
            System.out.flush();
            int attempts = Integer.parseInt(args[2]);
            int successes = args.length > 3
                    ? append(backend, args[1], attempts, "other")
                    : increment(backend, args[1], attempts);
            System.out.println("successes=" + successes);
        }
    }

    /** Appends one entry per attempt after the last sequence it sees; returns how many appends won. */
    static int append(StorageBackend backend, String key, int attempts, String who) {
        int successes = 0;
        for (int i = 0; i < attempts; i++) {
            long last = backend.lastJournalSequence(key);
            try {
                backend.appendJournal(key, last, java.util.List.of((who + "-" + i).getBytes(UTF_8)));
                successes++;
            } catch (ConcurrentSessionModificationException lost) {
                // the other process appended first
            }
        }
        return successes;
    }

    static int increment(StorageBackend backend, String key, int attempts) {
        int successes = 0;
        for (int i = 0; i < attempts; i++) {
            StoredValue current = backend.read(key).orElseThrow();
            int next = Integer.parseInt(new String(current.value(), UTF_8)) + 1;
            byte[] value = Integer.toString(next).getBytes(UTF_8);
            if (backend.compareAndSet(key, current.version(), value).isPresent()) {
                successes++;
            }
        }
        return successes;
    }
}
