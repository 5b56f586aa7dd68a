package dev.orchestra4j.runner.internal.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig.TrackerSettings;
import dev.orchestra4j.runner.States;
import dev.orchestra4j.runner.Tracker;
import dev.orchestra4j.runner.TrackerException;
import dev.orchestra4j.runner.TrackerException.Category;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracker.kind: github}: GitHub's REST wire as Symphony's {@code github/client.ex} speaks it. Lists page with
 * {@code per_page=100&page=N} until a short page; refreshes read one issue each (404 → omitted); every request carries
 * {@code Accept: application/vnd.github+json}, {@code Authorization: Bearer}, {@code X-GitHub-Api-Version:
 * 2022-11-28} and {@code User-Agent}. States are {@code open} and {@code closed}; pull requests are not dispatchable.
 * Provider keys: {@code repository} ({@code owner/name}) or {@code owner} + {@code repo}, {@code token}, {@code
 * api_url} (HTTPS; plain HTTP only on loopback, for tests).
 */
public final class GithubTracker implements Tracker {

    private static final Logger LOG = LoggerFactory.getLogger(GithubTracker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 100;

    private final URI api;
    private final String owner;
    private final String repo;
    private final String token;
    private final HttpClient http;

    public GithubTracker(TrackerSettings settings) {
        String apiUrl = settings.providerText("api_url").orElse("https://api.github.com");
        this.api = URI.create(apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl);
        boolean loopback = "127.0.0.1".equals(api.getHost()) || "localhost".equals(api.getHost());
        if (!"https".equals(api.getScheme()) && !("http".equals(api.getScheme()) && loopback)) {
            throw new TrackerException(
                    Category.INVALID_TRACKER_CONFIG, "tracker.provider.api_url must be HTTPS, was '" + apiUrl + "'");
        }
        String repository = settings.providerText("repository").orElse("");
        int slash = repository.indexOf('/');
        this.owner = slash > 0
                ? repository.substring(0, slash)
                : settings.providerText("owner").orElse("");
        this.repo = slash > 0
                ? repository.substring(slash + 1)
                : settings.providerText("repo").orElse("");
        if (owner.isBlank() || repo.isBlank()) {
            throw new TrackerException(
                    Category.INVALID_TRACKER_CONFIG,
                    "tracker.provider needs 'repository: owner/name' (or 'owner' and 'repo')");
        }
        this.token = settings.providerText("token").orElse("");
        if (token.isBlank()) {
            throw new TrackerException(Category.MISSING_TRACKER_SECRET, "tracker.provider.token is missing");
        }
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Set<String> secretEnvironmentNames() {
        return Set.of("GITHUB_TOKEN");
    }

    @Override
    public List<Issue> fetchIssuesByStates(Collection<String> states) {
        if (states.isEmpty()) {
            return List.of();
        }
        Set<String> wanted = Set.copyOf(states.stream().map(States::normalize).toList());
        String filter = wanted.contains("open") && wanted.contains("closed")
                ? "all"
                : wanted.contains("closed") ? "closed" : "open";
        List<Issue> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode items = send(
                            "GET", base() + "/issues?state=" + filter + "&per_page=" + PAGE + "&page=" + page, null)
                    .orElseThrow(() -> new TrackerException(Category.TRACKER_STATUS, "issue list returned 404"));
            if (!items.isArray()) {
                throw new TrackerException(Category.TRACKER_PAGINATION, "issue list page is not a JSON array");
            }
            for (JsonNode item : items) {
                try {
                    Issue issue = map(item);
                    if (wanted.contains(States.normalize(issue.state()))) {
                        out.add(issue);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("github issue dropped reason=\"{}\"", e.getMessage());
                }
            }
            if (items.size() < PAGE) {
                return out;
            }
            if (page >= MAX_PAGES) {
                throw new TrackerException(
                        Category.TRACKER_PAGINATION,
                        "more than " + MAX_PAGES + " full pages of issues; narrow the scope");
            }
        }
    }

    @Override
    public List<Issue> fetchIssuesByIds(Collection<String> ids) {
        List<Issue> out = new ArrayList<>();
        for (String id : ids) {
            send("GET", base() + "/issues/" + number(id), null)
                    .map(this::mapStrictly)
                    .ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Issue transitionIssue(String issueId, String state) {
        String target = States.normalize(state);
        if (!target.equals("open") && !target.equals("closed")) {
            throw new TrackerException(
                    Category.INVALID_TRACKER_CONFIG, "GitHub issues are 'open' or 'closed', not '" + state + "'");
        }
        return send("PATCH", base() + "/issues/" + number(issueId), Map.of("state", target))
                .map(this::mapStrictly)
                .orElseThrow(() -> new TrackerException(Category.TRACKER_NOT_FOUND, "no issue #" + issueId));
    }

    @Override
    public void addComment(String issueId, String body) {
        send("POST", base() + "/issues/" + number(issueId) + "/comments", Map.of("body", body))
                .orElseThrow(() -> new TrackerException(Category.TRACKER_NOT_FOUND, "no issue #" + issueId));
    }

    private String base() {
        return api + "/repos/" + owner + "/" + repo;
    }

    private static String number(String id) {
        if (!id.matches("[0-9]+")) {
            throw new TrackerException(Category.TRACKER_REQUEST, "GitHub issue ids are numbers, was '" + id + "'");
        }
        return id;
    }

    private Issue mapStrictly(JsonNode item) {
        try {
            return map(item);
        } catch (RuntimeException e) {
            throw new TrackerException(Category.TRACKER_RESPONSE, "malformed issue: " + e.getMessage(), e);
        }
    }

    private Issue map(JsonNode item) {
        long number = item.path("number").asLong(-1);
        if (number < 0) {
            throw new IllegalArgumentException("issue without a number");
        }
        List<String> labels = new ArrayList<>();
        item.path("labels").forEach(l -> labels.add(l.path("name").asText("")));
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("id", item.path("id").asLong());
        ref.put("node_id", item.path("node_id").asText(""));
        ref.put("number", number);
        ref.put("repo", owner + "/" + repo);
        return Issue.builder(
                        String.valueOf(number),
                        "GH-" + number,
                        item.path("title").asText(""),
                        item.path("state").asText(""))
                .nativeRef(ref)
                .description(text(item.path("body")))
                .url(text(item.path("html_url")))
                .assigneeId(text(item.path("assignee").path("login")))
                .labels(labels)
                .dispatchable(!item.has("pull_request"))
                .createdAt(instant(item.path("created_at")))
                .updatedAt(instant(item.path("updated_at")))
                .build();
    }

    private static @Nullable String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static @Nullable Instant instant(JsonNode node) {
        return node.isTextual() ? Instant.parse(node.asText()) : null;
    }

    private Optional<JsonNode> send(String method, String url, @Nullable Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "Bearer " + token)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "orchestra4j-runner");
        try {
            request.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 404) {
                return Optional.empty();
            }
            if (status == 429
                    || (status == 403
                            && response.headers()
                                    .firstValue("x-ratelimit-remaining")
                                    .orElse("")
                                    .equals("0"))) {
                throw new TrackerException(Category.TRACKER_RATE_LIMITED, method + " " + url + " was rate limited");
            }
            if (status / 100 != 2) {
                throw new TrackerException(Category.TRACKER_STATUS, method + " " + url + " returned " + status);
            }
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new TrackerException(Category.TRACKER_REQUEST, method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackerException(Category.TRACKER_REQUEST, method + " " + url + " was interrupted", e);
        }
    }
}
