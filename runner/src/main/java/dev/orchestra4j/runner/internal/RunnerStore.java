package dev.orchestra4j.runner.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's durable table (the spec's §18.2 TODO): running entries with their session ids, the retry queue and
 * blocked issues, written as one JSON document by atomic rename after every change, so a runner killed with SIGKILL
 * finds its work again. {@link #none()} keeps nothing.
 */
public final class RunnerStore {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> file;

    private RunnerStore(Optional<Path> file) {
        this.file = file;
    }

    public static RunnerStore in(Path directory) {
        return new RunnerStore(Optional.of(directory.resolve("runner-state.json")));
    }

    public static RunnerStore none() {
        return new RunnerStore(Optional.empty());
    }

    public void save(Map<String, Object> document) {
        if (file.isEmpty()) {
            return;
        }
        Path target = file.get();
        try {
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("runner state not saved path={} reason=\"{}\"", target, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> load() {
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return Map.of();
        }
        try {
            return JSON.readValue(file.get().toFile(), LinkedHashMap.class);
        } catch (IOException e) {
            LOG.warn("runner state unreadable, starting empty path={} reason=\"{}\"", file.get(), e.getMessage());
            return Map.of();
        }
    }
}
