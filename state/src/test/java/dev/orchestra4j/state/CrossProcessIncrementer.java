package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;

/**
 * Increments a counter key with compare-and-set; run as a second JVM by {@link FileStorageBackendTest}.
 * Arguments: root directory, key, attempts. Prints {@code ready}, then {@code successes=<n>}.
 */
final class CrossProcessIncrementer {

    private CrossProcessIncrementer() {}

    public static void main(String[] args) {
        try (StorageBackend backend = new FileStorageBackend(Path.of(args[0]))) {
            System.out.println("ready");
            System.out.flush();
            int successes = increment(backend, args[1], Integer.parseInt(args[2]));
            System.out.println("successes=" + successes);
        }
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
