package dev.orchestra4j.state.internal.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates files and directories readable only by their owner ({@code rw-------} and {@code rwx------})
 * on file systems with POSIX permissions; elsewhere they get the platform's defaults. Session state holds
 * prompts, tool results and memories, which must not be world-readable on shared hosts.
 */
final class OwnerOnly {

    private static final FileAttribute<?> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?>[] NONE = {};

    private OwnerOnly() {}

    static FileAttribute<?>[] file(Path path) {
        return isPosix(path) ? new FileAttribute<?>[] {FILE} : NONE;
    }

    /** Like {@link Files#createDirectories}, creating the missing directories owner-only. */
    static Path createDirectories(Path directory) throws IOException {
        return Files.createDirectories(directory, isPosix(directory) ? new FileAttribute<?>[] {DIRECTORY} : NONE);
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
