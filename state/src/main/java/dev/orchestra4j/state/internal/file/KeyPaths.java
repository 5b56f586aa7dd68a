package dev.orchestra4j.state.internal.file;

import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.internal.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps keys to data files under the root and back, and proves every resolved path stays under the root:
 * lexically after normalization, and physically (through symbolic links) for directories that exist.
 */
final class KeyPaths {

    static final String DATA_SUFFIX = "~data";
    static final String JOURNAL_SUFFIX = "~journal";

    private final Path root;

    /** {@code root} must be a real (absolute, link-free) path. */
    KeyPaths(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The data file of a valid key; throws {@link IllegalArgumentException} for keys that escape. */
    Path dataFile(String key) {
        Keys.requireValid(key);
        Path file = root.resolve(key + DATA_SUFFIX).normalize();
        if (!file.startsWith(root) || file.getNameCount() != root.getNameCount() + segmentCount(key)) {
            throw new IllegalArgumentException("Invalid storage key '" + key + "': it resolves outside the root");
        }
        return file;
    }

    /** The journal segment file of a valid key, next to its data file. */
    Path journalFile(String key) {
        Path data = dataFile(key);
        return data.resolveSibling(data.getFileName().toString().replace(DATA_SUFFIX, JOURNAL_SUFFIX));
    }

    /** Throws a {@link StateException} if an existing directory of the key leads outside the root. */
    void requirePhysicallyInside(Path directory, String key) throws IOException {
        if (Files.exists(directory) && !directory.toRealPath().startsWith(root)) {
            throw new StateException("Key '" + key + "' resolves outside the storage root '" + root
                    + "' through a symbolic link; refusing to touch it");
        }
    }

    /** The directory to walk for keys starting with {@code prefix}: the deepest one the prefix names. */
    Path walkStart(String prefix) {
        Keys.requireValidPrefix(prefix);
        int slash = prefix.lastIndexOf('/');
        return slash < 0 ? root : root.resolve(prefix.substring(0, slash)).normalize();
    }

    /** The key of a data file under the root, or empty for any other file. */
    Optional<String> keyOf(Path file) {
        return keyOf(file, DATA_SUFFIX);
    }

    /** The key of a data or journal file under the root, or empty for any other file. */
    Optional<String> keyOfDataOrJournal(Path file) {
        return keyOf(file, DATA_SUFFIX).or(() -> keyOf(file, JOURNAL_SUFFIX));
    }

    private Optional<String> keyOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || !file.startsWith(root)) {
            return Optional.empty();
        }
        Path relative = root.relativize(file);
        StringBuilder key = new StringBuilder();
        for (Path segment : relative) {
            key.append(key.isEmpty() ? "" : "/").append(segment);
        }
        return Optional.of(key.substring(0, key.length() - suffix.length()));
    }

    private static int segmentCount(String key) {
        return (int) key.chars().filter(c -> c == '/').count() + 1;
    }
}
