package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileStorageBackendTest extends StorageBackendContractTest {

    @TempDir
    Path root;

    @Override
    StorageBackend createBackend(MutableClock clock) {
        return new FileStorageBackend(root.resolve("store"), clock);
    }

    @Override
    boolean hasJournal() {
        return false;
    }

    @Override
    void flipJournalBit(String key, long sequence) {
        throw new UnsupportedOperationException();
    }

    @Override
    void flipValueBit(String key, int index) {
        throw new UnsupportedOperationException();
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
