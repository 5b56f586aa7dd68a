package dev.orchestra4j.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Test helpers: the demo fixture, a small HTTP client, file-tracker reads and bounded polling. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Fixtures() {}

    /** Copies {@code examples/runner-demo} (without its work directory) into {@code target}. */
    static Path demo(Path target) throws IOException {
        Path source = Path.of("..", "examples", "runner-demo").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from :
                    files.filter(p -> !source.relativize(p).startsWith(".work")).toList()) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    /** The {@code state:} of a file-tracker issue. */
    static String state(Path issues, String identifier) throws IOException {
        for (String line : Files.readAllLines(issues.resolve(identifier + ".md"))) {
            if (line.startsWith("state:")) {
                return line.substring("state:".length()).strip().replace("\"", "");
            }
        }
        return "";
    }

    static List<String> comments(Path issues, String identifier) throws IOException {
        Path dir = issues.resolve("comments").resolve(identifier);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted()
                    .map(f -> {
                        try {
                            return Files.readString(f, StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }

    record Response(int status, JsonNode body) {}

    static Response get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static Response post(String url, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Response(response.statusCode(), text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}. */
    static void await(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }
}
