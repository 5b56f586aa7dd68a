package dev.orchestra4j.state.internal.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Crash-safe file replacement: temporary file, fsync, atomic rename, fsync of the directory. */
final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final String TEMP_MARKER = "~tmp-";
    private static final int CREATE_ATTEMPTS = 3;

    private AtomicFiles() {}

    /**
     * Replaces {@code target} with {@code header + value}; readers see the old or the new file, whole. With
     * {@code sync} the data and the directory entry are forced to disk before returning.
     */
    static void replace(Path target, ByteBuffer header, byte[] value, boolean sync) throws IOException {
        Path directory = target.getParent();
        Path temp = createTemp(directory, target.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer[] buffers = {header, ByteBuffer.wrap(value)};
                while (buffers[1].hasRemaining() || buffers[0].hasRemaining()) {
                    channel.write(buffers);
                }
                if (sync) {
                    channel.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        if (sync) {
            syncDirectory(directory);
        }
    }

    /** Deletes {@code file} (durably with {@code sync}); returns whether it existed. */
    static boolean delete(Path file, boolean sync) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted && sync) {
            syncDirectory(file.getParent());
        }
        return deleted;
    }

    /** Removes {@code directory} and its parents up to (excluding) {@code root} while they are empty. */
    static void pruneEmptyDirectories(Path directory, Path root) {
        for (Path dir = directory; dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                LOG.debug("Could not remove empty directory '{}'", dir, e);
                return;
            }
        }
    }

    static boolean isTemp(Path file) {
        return file.getFileName().toString().contains(TEMP_MARKER);
    }

    /** Creates the temporary file, recreating the directory if a concurrent prune removed it meanwhile. */
    private static Path createTemp(Path directory, String name) throws IOException {
        for (int attempt = 1; ; attempt++) {
            OwnerOnly.createDirectories(directory);
            Path temp = directory.resolve(name + TEMP_MARKER + UUID.randomUUID());
            try {
                return Files.createFile(temp, OwnerOnly.file(temp));
            } catch (NoSuchFileException e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Directory fsync not supported for '{}'", directory, e);
        }
    }
}
