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
 * 2022-11-28} and {@code User-Agent}. Pull requests are not dispatchable. Provider keys: {@code repository} ({@code
 * owner/name}) or {@code owner} + {@code repo}, {@code token}, {@code api_url} (HTTPS; plain HTTP only on loopback,
 * for tests) and {@code state_labels}.
 *
 * <p>GitHub issues are only {@code open} or {@code closed}. {@code state_labels} (a map state → label, e.g. {@code
 * {"Human Review": human-review, Rework: rework}}) adds workflow states: an open issue carrying one of the labels is in
 * that label's state (the first listed wins), an open issue with none of them is {@code open}, a closed issue is
 * {@code closed}. Moving an issue into a labelled state reopens it if needed and replaces its state labels with that
 * one, in one {@code PATCH} carrying its other labels unchanged; moving it to {@code open} removes its state labels;
 * moving it to {@code closed} closes it and leaves its labels alone.
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
    /** Normalised state → its label, in configured order. */
    private final Map<String, String> stateLabels;
    /** Normalised state → the state as configured. */
    private final Map<String, String> stateNames;

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
        this.stateLabels = new LinkedHashMap<>();
        this.stateNames = new LinkedHashMap<>();
        readStateLabels(settings.provider().get("state_labels"));
    }

    private void readStateLabels(@Nullable Object value) {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new TrackerException(
                    Category.INVALID_TRACKER_CONFIG,
                    "tracker.provider.state_labels must map states to labels, was '" + value + "'");
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> byLabel = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            String state = k == null ? "" : String.valueOf(k).strip();
            String label = v instanceof String text ? text.strip() : "";
            String key = States.normalize(state);
            if (state.isEmpty() || label.isEmpty()) {
                problems.add("'" + k + "': '" + v + "' needs a state and a label (both text)");
            } else if (key.equals("open") || key.equals("closed")) {
                problems.add("'" + state + "' is a GitHub state already; map only workflow states");
            } else if (byLabel.containsKey(States.normalize(label))) {
                problems.add("label '" + label + "' is mapped to both '" + byLabel.get(States.normalize(label))
                        + "' and '" + state + "'");
            } else if (stateLabels.containsKey(key)) {
                problems.add("state '" + state + "' is listed twice");
            } else {
                byLabel.put(States.normalize(label), state);
                stateLabels.put(key, label);
                stateNames.put(key, state);
            }
        });
        if (!problems.isEmpty()) {
            throw new TrackerException(
                    Category.INVALID_TRACKER_CONFIG, "tracker.provider.state_labels: " + String.join("; ", problems));
        }
    }

    /** The workflow state of an issue: closed, the first state whose label it carries, or open. */
    private String stateOf(String githubState, List<String> labels) {
        if (!githubState.equals("open")) {
            return githubState;
        }
        Set<String> carried = Set.copyOf(labels.stream().map(States::normalize).toList());
        for (Map.Entry<String, String> e : stateLabels.entrySet()) {
            if (carried.contains(States.normalize(e.getValue()))) {
                return stateNames.get(e.getKey());
            }
        }
        return githubState;
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
        boolean open = wanted.contains("open") || wanted.stream().anyMatch(stateLabels::containsKey);
        boolean closed = wanted.contains("closed");
        if (!open && !closed) {
            return List.of();
        }
        String filter = open && closed ? "all" : closed ? "closed" : "open";
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
        Map<String, Object> patch = new LinkedHashMap<>();
        if (target.equals("closed")) {
            patch.put("state", "closed");
        } else if (target.equals("open") || stateLabels.containsKey(target)) {
            JsonNode current = send("GET", base() + "/issues/" + number(issueId), null)
                    .orElseThrow(() -> new TrackerException(Category.TRACKER_NOT_FOUND, "no issue #" + issueId));
            Set<String> stateLabelNames = Set.copyOf(
                    stateLabels.values().stream().map(States::normalize).toList());
            List<String> labels = new ArrayList<>();
            current.path("labels").forEach(l -> {
                String name = l.path("name").asText("");
                if (!name.isBlank() && !stateLabelNames.contains(States.normalize(name))) {
                    labels.add(name);
                }
            });
            if (!target.equals("open")) {
                labels.add(stateLabels.get(target));
            }
            patch.put("state", "open");
            patch.put("labels", labels);
        } else {
            throw new TrackerException(
                    Category.TRACKER_REQUEST,
                    "GitHub issues are 'open' or 'closed'"
                            + (stateNames.isEmpty()
                                    ? ""
                                    : " or a state of tracker.provider.state_labels " + stateNames.values())
                            + ", not '" + state + "'");
        }
        return send("PATCH", base() + "/issues/" + number(issueId), patch)
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
                        stateOf(item.path("state").asText(""), labels))
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
