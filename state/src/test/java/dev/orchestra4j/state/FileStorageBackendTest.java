package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileStorageBackendTest extends StorageBackendContractTest {

    private static final int VALUE_HEADER = 25;
    private static final int JOURNAL_HEADER = 25;
    private static final int RECORD_HEADER = 28;

    @TempDir
    Path root;

    @Override
    StorageBackend createBackend(MutableClock clock) {
        return new FileStorageBackend(root.resolve("store"), clock);
    }

    @Override
    void flipJournalBit(String key, long sequence) throws IOException {
        Path file = root.resolve("store/" + key + "~journal");
        byte[] bytes = Files.readAllBytes(file);
        bytes[dataOffset(bytes, sequence)] ^= 1;
        Files.write(file, bytes);
    }

    @Override
    void flipValueBit(String key, int index) throws IOException {
        Path file = root.resolve("store/" + key + "~data");
        byte[] bytes = Files.readAllBytes(file);
        bytes[VALUE_HEADER + index] ^= 1;
        Files.write(file, bytes);
    }

    /** The offset of the first data byte of a journal entry: header, then records of 28 bytes + data. */
    private static int dataOffset(byte[] journal, long sequence) {
        ByteBuffer in = ByteBuffer.wrap(journal);
        int offset = JOURNAL_HEADER;
        for (long s = in.getLong(5) + 1; s < sequence; s++) {
            offset += RECORD_HEADER + in.getInt(offset);
        }
        return offset + RECORD_HEADER;
    }

    /**
     * An append holds the key's lock while it writes (it reads the clock there): a fenced write started then must wait
     * for that lock before it reads the journal's last sequence, and so be refused once the append is done. A fence
     * read outside the lock (the SPI's default: read, then compare-and-set under the lock) sees the old sequence and
     * writes after the append.
     */
    @Test
    void fencedCompareAndSet_startedWhileAnAppendHoldsTheKey_waitsAndIsRefused() throws Exception {
        TriggerClock triggerClock = new TriggerClock(START);
        StorageBackend files = new FileStorageBackend(root.resolve("triggered"), triggerClock);
        files.write("j", bytes("snapshot"));
        files.appendJournal("j", 0, List.of(bytes("a")));
        CompletableFuture<OptionalLong> written = new CompletableFuture<>();
        triggerClock.onNextRead(
                () -> { // inside the append, under the key's lock
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            written.complete(files.compareAndSet("j", 1, bytes("stale"), 1));
                        } catch (Throwable e) {
                            written.completeExceptionally(e);
                        }
                    });
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                    while (!waitsForTheKeyLock(writer)) {
                        assertThat(written)
                                .as("the fenced write did not wait for the key's lock")
                                .isNotDone();
                        assertThat(System.nanoTime())
                                .as("the write never waited")
                                .isLessThan(deadline);
                        Thread.onSpinWait();
                    }
                });

        assertThat(files.appendJournal("j", 1, List.of(bytes("claim")))).isEqualTo(2);

        assertThatThrownBy(() -> written.get(1, TimeUnit.MINUTES))
                .cause()
                .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> assertThat(e.actualVersion())
                        .isEqualTo(2));
        assertThat(files.read("j").orElseThrow().value()).isEqualTo(bytes("snapshot"));
    }

    private static boolean waitsForTheKeyLock(Thread thread) {
        return thread.getState() == Thread.State.WAITING
                && Arrays.stream(thread.getStackTrace())
                        .anyMatch(f -> f.getClassName().endsWith(".KeyLocks")
                                && f.getMethodName().equals("lock"));
    }

    @Test
    void writeAndAppend_createdFilesAndDirectories_ownerOnly() throws IOException {
        Assumptions.assumeTrue(
                root.getFileSystem().supportedFileAttributeViews().contains("posix"));
        backend.write("sessions/s-1", bytes("v"));
        backend.appendJournal("sessions/s-1", 0, List.of(bytes("e")));
        backend.truncateJournal("sessions/s-1", 0);

        try (Stream<Path> files = Files.walk(root.resolve("store"))) {
            assertThat(files.toList()).hasSizeGreaterThan(5).allSatisfy(path -> assertThat(
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                    .as(path.toString())
                    .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }

    @Test
    void readJournal_tornLastAppend_ignoredAndNextAppendReplacesIt() throws IOException {
        backend.appendJournal("j", 0, List.of(bytes("one"), bytes("two")));
        backend.appendJournal("j", 2, List.of(bytes("three")));
        Path file = root.resolve("store/j~journal");
        byte[] whole = Files.readAllBytes(file);

        for (int cut = 1; cut < RECORD_HEADER + 5; cut++) {
            Files.write(file, Arrays.copyOf(whole, whole.length - cut));

            assertThat(backend.readJournal("j", 0))
                    .extracting(JournalEntry::sequence)
                    .containsExactly(1L, 2L);
            assertThat(backend.lastJournalSequence("j")).isEqualTo(2);
        }
        assertThat(backend.appendJournal("j", 2, List.of(bytes("three again")))).isEqualTo(3);
        assertThat(backend.readJournal("j", 1))
                .containsExactly(new JournalEntry(2, bytes("two")), new JournalEntry(3, bytes("three again")));
    }

    @Test
    void appendJournal_segmentReplacedInPlaceWithSameSizeAndTime_fenceUsesNewContent() throws IOException {
        backend.appendJournal("j", 0, List.of(bytes("aa"), bytes("bb")));
        Path file = root.resolve("store/j~journal");
        FileTime modified = Files.getLastModifiedTime(file);
        try (StorageBackend other = new FileStorageBackend(root.resolve("other"), clock)) {
            other.appendJournal("j", 0, List.of(bytes("x".repeat(32))));
            byte[] replacement = Files.readAllBytes(root.resolve("other/j~journal"));
            assertThat(replacement).hasSize((int) Files.size(file));
            Files.write(file, replacement);
        }
        Files.setLastModifiedTime(file, modified);

        assertThatThrownBy(() -> backend.appendJournal("j", 2, List.of(bytes("stale"))))
                .isInstanceOf(ConcurrentSessionModificationException.class)
                .hasMessageContaining("holds 1");
        assertThat(backend.appendJournal("j", 1, List.of(bytes("cc")))).isEqualTo(2);
        assertThat(backend.readJournal("j", 1)).containsExactly(new JournalEntry(2, bytes("cc")));
    }

    @Test
    void readJournal_zeroFilledTailAfterCrash_ignored() throws IOException {
        backend.appendJournal("j", 0, List.of(bytes("one")));
        Path file = root.resolve("store/j~journal");
        Files.write(file, new byte[64], StandardOpenOption.APPEND);

        assertThat(backend.readJournal("j", 0)).containsExactly(new JournalEntry(1, bytes("one")));
        assertThat(backend.appendJournal("j", 1, List.of(bytes("two")))).isEqualTo(2);
        assertThat(backend.readJournal("j", 0))
                .extracting(JournalEntry::sequence)
                .containsExactly(1L, 2L);
    }

    @Test
    void readJournal_flippedBitInRecordHeader_throwsNamingEntry() throws IOException {
        backend.appendJournal("j", 0, List.of(bytes("one"), bytes("two")));
        Path file = root.resolve("store/j~journal");
        byte[] bytes = Files.readAllBytes(file);
        bytes[dataOffset(bytes, 2) - RECORD_HEADER + 6] ^= 4; // inside entry 2's sequence number
        Files.write(file, bytes);

        assertThatThrownBy(() -> backend.readJournal("j", 0))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("entry 2 fails its CRC32C checksum");
        assertThatThrownBy(() -> backend.appendJournal("j", 2, List.of(bytes("three"))))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'j'");
    }

    @Test
    void truncateJournal_rewritesSegmentWithoutTheCoveredEntries() throws IOException {
        backend.appendJournal("j", 0, List.of(bytes("one"), bytes("two"), bytes("three")));
        long before = Files.size(root.resolve("store/j~journal"));

        backend.truncateJournal("j", 2);

        long after = Files.size(root.resolve("store/j~journal"));
        assertThat(before - after).isEqualTo(2L * RECORD_HEADER + 6);
        assertThat(backend.readJournal("j", 0)).containsExactly(new JournalEntry(3, bytes("three")));
    }

    @Override
    String expectedName() {
        return "file";
    }

    @Test
    void write_committed_leavesNoTemporaryFiles() throws IOException {
        backend.write("sessions/s-1", bytes("v1"));
        backend.write("sessions/s-1", bytes("v2"));

        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.contains("~tmp-"));
        }
    }

    @Test
    void read_strayTemporaryFile_ignoredByReadAndList() throws IOException {
        backend.write("sessions/s-1", bytes("committed"));
        Path dir = root.resolve("store/sessions");
        Files.write(dir.resolve("s-2~data~tmp-crashed"), bytes("partial"));

        assertThat(backend.list("")).containsExactly("sessions/s-1");
        assertThat(backend.read("sessions/s-2")).isEmpty();
    }

    @Test
    void read_truncatedDataFile_throwsStateExceptionNamingKey() throws IOException {
        backend.write("k", bytes("value"));
        Files.write(root.resolve("store/k~data"), new byte[] {'O', '4'});

        assertThatThrownBy(() -> backend.read("k"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void anyOperation_symlinkLeadingOutsideRoot_refused() throws IOException {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.write(outside.resolve("secret~data"), bytes("x"));
        Files.createDirectories(root.resolve("store"));
        Files.createSymbolicLink(root.resolve("store/escape"), outside);

        assertThatThrownBy(() -> backend.read("escape/secret"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("outside the storage root");
        assertThatThrownBy(() -> backend.write("escape/other", bytes("x"))).isInstanceOf(StateException.class);
        assertThat(outside.resolve("other~data")).doesNotExist();
        assertThat(backend.list("")).isEmpty();
    }

    @Test
    void delete_lastKeyOfDirectory_removesEmptyDirectories() {
        backend.write("checkpoints/s-1/000001-a", bytes("x"));

        backend.delete("checkpoints/s-1/000001-a");

        assertThat(root.resolve("store/checkpoints")).doesNotExist();
        assertThat(backend.compareAndSet("checkpoints/s-1/000002-b", 0, bytes("y")))
                .hasValue(1);
    }

    @Test
    void compareAndSet_secondJvmIncrementsSameKey_noLostUpdate() throws Exception {
        int attempts = 150;
        backend.write("counter", bytes("0"));
        Process other = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrossProcessIncrementer.class.getName(),
                        ((FileStorageBackend) backend).root().toString(),
                        "counter",
                        Integer.toString(attempts))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader output = other.inputReader()) {
            assertThat(output.readLine()).isEqualTo("ready");
            int mine = CrossProcessIncrementer.increment(backend, "counter", attempts);
            String last = output.readLine();
            assertThat(other.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(last).startsWith("successes=");
            int theirs = Integer.parseInt(last.substring("successes=".length()));

            StoredValue counter = backend.read("counter").orElseThrow();
            assertThat(new String(counter.value(), UTF_8)).isEqualTo(Integer.toString(mine + theirs));
            assertThat(counter.version()).isEqualTo(mine + theirs + 1L);
            assertThat(theirs).isPositive();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void appendJournal_secondJvmAppendsSameKey_fenceHoldsAcrossProcesses() throws Exception {
        int attempts = 100;
        Process other = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrossProcessIncrementer.class.getName(),
                        ((FileStorageBackend) backend).root().toString(),
                        "j",
                        Integer.toString(attempts),
                        "journal")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader output = other.inputReader()) {
            assertThat(output.readLine()).isEqualTo("ready");
            int mine = CrossProcessIncrementer.append(backend, "j", attempts, "mine");
            String last = output.readLine();
            assertThat(other.waitFor(2, TimeUnit.MINUTES)).isTrue();
            int theirs = Integer.parseInt(last.substring("successes=".length()));

            List<JournalEntry> journal = backend.readJournal("j", 0);
            assertThat(journal).hasSize(mine + theirs);
            assertThat(journal).extracting(JournalEntry::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(journal.getLast().sequence()).isEqualTo(mine + theirs);
            assertThat(journal.stream().map(e -> new String(e.data(), UTF_8)).distinct())
                    .hasSize(mine + theirs);
            assertThat(mine).isPositive();
            assertThat(theirs).isPositive();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void processCrashDurability_writesAndCompareAndSet_behaveTheSame() {
        try (StorageBackend fast =
                new FileStorageBackend(root.resolve("fast"), clock, FileStorageBackend.Durability.PROCESS_CRASH)) {
            fast.write("k", bytes("a"));

            assertThat(fast.compareAndSet("k", 1, bytes("b"))).hasValue(2);
            assertThat(fast.compareAndSet("k", 1, bytes("c"))).isEmpty();
            assertThat(fast.read("k").orElseThrow().value()).isEqualTo(bytes("b"));
            assertThat(fast.delete("k")).isTrue();
        }
    }

    @Test
    void twoBackendsOnSameRoot_compareAndSet_seeEachOthersVersions() {
        try (StorageBackend second = new FileStorageBackend(root.resolve("store"), clock)) {
            backend.write("shared", bytes("a"));

            assertThat(second.compareAndSet("shared", 1, bytes("b"))).hasValue(2);
            assertThat(backend.compareAndSet("shared", 1, bytes("c"))).isEmpty();
            assertThat(backend.read("shared").orElseThrow().value()).isEqualTo(bytes("b"));
        }
    }
}
