package dev.orchestra4j.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A log file that rotates by size, like Symphony's {@code log/symphony.log} (10 MiB × 5 files): when the next line
 * would take {@code file} past {@code maxBytes}, {@code file.<n>} becomes {@code file.<n+1>} (the oldest is dropped so
 * that at most {@code files} files exist), {@code file} becomes {@code file.1}, and a new {@code file} starts. Lines are
 * never split across files. Thread-safe.
 */
final class RotatingLog extends OutputStream {

    /** Symphony's size limit: 10 MiB per file. */
    static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    /** Symphony's file count: the current file and four older ones. */
    static final int DEFAULT_FILES = 5;

    private final Path file;
    private final long maxBytes;
    private final int files;
    private byte[] line = new byte[256];
    private int length;
    private OutputStream out;
    private long size;

    RotatingLog(Path file, long maxBytes, int files) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("log file size limit must be positive, was " + maxBytes);
        }
        if (files < 1) {
            throw new IllegalArgumentException("log file count must be positive, was " + files);
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.files = files;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = open();
        this.size = Files.size(file);
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (length == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[length++] = (byte) b;
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
        for (int i = offset; i < offset + count; i++) {
            write(bytes[i]);
        }
    }

    /**
     * Flushes the file; a partial line stays held back until its newline (a {@link java.io.PrintStream} with
     * auto-flush flushes after every {@code print}, which must not split a line across files).
     */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    private void flushLine() throws IOException {
        if (size > 0 && size + length > maxBytes) {
            rotate();
        }
        out.write(line, 0, length);
        out.flush();
        size += length;
        length = 0;
        if (line.length > 64 * 1024) {
            line = new byte[256];
        }
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(numbered(files - 1));
        for (int n = files - 2; n >= 1; n--) {
            if (Files.exists(numbered(n))) {
                Files.move(numbered(n), numbered(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (files > 1) {
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
        out = open();
        size = 0;
    }

    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void close() throws IOException {
        if (length > 0) {
            flushLine();
        }
        out.close();
    }
}
