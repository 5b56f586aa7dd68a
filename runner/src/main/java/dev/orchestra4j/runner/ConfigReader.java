package dev.orchestra4j.runner;

import dev.orchestra4j.runner.RunnerConfig.AgentSettings;
import dev.orchestra4j.runner.RunnerConfig.CodexSettings;
import dev.orchestra4j.runner.RunnerConfig.Hooks;
import dev.orchestra4j.runner.RunnerConfig.ProofOfWork;
import dev.orchestra4j.runner.RunnerConfig.TrackerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads a workflow's front matter into a {@link RunnerConfig}, collecting every problem before failing. */
final class ConfigReader {

    static final Set<String> TRACKER_KINDS = Set.of("memory", "file", "github");
    private static final List<String> DEFAULT_ACTIVE = List.of("Todo", "In Progress");
    private static final List<String> DEFAULT_TERMINAL =
            List.of("Closed", "Cancelled", "Canceled", "Duplicate", "Done");
    private static final Object DEFAULT_APPROVAL =
            Map.of("reject", Map.of("sandbox_approval", true, "rules", true, "mcp_elicitations", true));

    private final WorkflowFile workflow;
    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();
    private String code = "";

    ConfigReader(WorkflowFile workflow, Map<String, String> environment) {
        this.workflow = workflow;
        this.environment = environment;
    }

    RunnerConfig read() {
        Map<String, Object> root = workflow.config();
        TrackerSettings tracker = tracker(map(root, "tracker"));
        Map<String, Object> polling = map(root, "polling");
        Duration interval = millis(polling, "polling.interval_ms", 30_000, false);
        Path workspaceRoot = workspaceRoot(map(root, "workspace"));
        Hooks hooks = hooks(map(root, "hooks"));
        AgentSettings agent = agent(map(root, "agent"));
        CodexSettings codex = codex(map(root, "codex"));
        ProofOfWork proof = proof(map(root, "proof_of_work"));
        OptionalInt port = port(map(root, "server"));
        if (!problems.isEmpty()) {
            throw new WorkflowException(code, problems, null);
        }
        return new RunnerConfig(tracker, interval, workspaceRoot, hooks, agent, codex, proof, port);
    }

    private TrackerSettings tracker(Map<String, Object> tracker) {
        Object kindValue = tracker.get("kind");
        String kind = kindValue == null ? "" : String.valueOf(kindValue).strip();
        if (kind.isEmpty()) {
            problem("invalid_config", "tracker.kind is required (one of " + sorted(TRACKER_KINDS) + ")");
        } else if (!TRACKER_KINDS.contains(kind)) {
            problem(
                    "unsupported_tracker_kind",
                    "tracker.kind '" + kind + "' is not supported; use one of " + sorted(TRACKER_KINDS));
        }
        Map<String, Object> provider = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        map(tracker, "provider").forEach((k, v) -> {
            if (v instanceof String s && isVar(s)) {
                secrets.add(s.strip().substring(1));
            }
            provider.put(k, v instanceof String s ? resolveVar(s) : v);
        });
        if (kind.equals("github")) {
            Object token = provider.get("token");
            if (token == null || String.valueOf(token).isBlank()) {
                String fallback = environment.getOrDefault("GITHUB_TOKEN", "");
                if (fallback.isBlank()) {
                    problem(
                            "missing_tracker_secret",
                            "tracker.provider.token is missing or resolves to \"\" (set it"
                                    + " to $GITHUB_TOKEN and export that variable)");
                } else {
                    provider.put("token", fallback);
                }
            }
            if (!secrets.contains("GITHUB_TOKEN")) {
                secrets.add("GITHUB_TOKEN");
            }
        }
        if (kind.equals("file") && !provider.containsKey("path")) {
            problem("invalid_config", "tracker.provider.path is required for tracker.kind 'file'");
        }
        boolean github = kind.equals("github");
        List<String> active = strings(tracker, "tracker.active_states", github ? List.of("open") : DEFAULT_ACTIVE);
        List<String> terminal =
                strings(tracker, "tracker.terminal_states", github ? List.of("closed") : DEFAULT_TERMINAL);
        List<String> labels = strings(tracker, "tracker.required_labels", List.of()).stream()
                .map(States::normalize)
                .toList();
        return new TrackerSettings(kind, provider, labels, active, terminal, secrets);
    }

    private Path workspaceRoot(Map<String, Object> workspace) {
        Object value = workspace.get("root");
        if (value == null) {
            return Path.of(System.getProperty("java.io.tmpdir"), "symphony_workspaces")
                    .toAbsolutePath()
                    .normalize();
        }
        String text = resolveVar(String.valueOf(value));
        if (text.isBlank()) {
            problem("invalid_config", "workspace.root resolves to an empty path");
            return Path.of("").toAbsolutePath();
        }
        if (text.equals("~") || text.startsWith("~/")) {
            // the shell's ~ (and Symphony's Path.expand): $HOME; the JVM's user.home ignores it
            String home = environment.getOrDefault("HOME", "");
            text = (home.isBlank() ? System.getProperty("user.home") : home) + text.substring(1);
        }
        return directory().resolve(text).toAbsolutePath().normalize();
    }

    private Path directory() {
        Path parent = workflow.path().toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    private Hooks hooks(Map<String, Object> hooks) {
        return new Hooks(
                script(hooks, "after_create"),
                script(hooks, "before_run"),
                script(hooks, "after_run"),
                script(hooks, "before_remove"),
                millis(hooks, "hooks.timeout_ms", 60_000, false));
    }

    private AgentSettings agent(Map<String, Object> agent) {
        String kind = text(agent, "kind", "topology");
        if (!kind.equals("topology") && !kind.equals("codex")) {
            problem("invalid_config", "agent.kind '" + kind + "' is not supported; use 'topology' or 'codex'");
        }
        String sandbox = text(agent, "command_sandbox", "namespace");
        if (!sandbox.equals("namespace") && !sandbox.equals("none")) {
            problem(
                    "invalid_config",
                    "agent.command_sandbox '" + sandbox + "' is not supported; use 'namespace' or 'none'");
        }
        return new AgentSettings(
                kind,
                text(agent, "topology", "coding-run"),
                text(agent, "handoff_state", "Human Review"),
                positive(agent, "agent.max_concurrent_agents", 10),
                positive(agent, "agent.max_turns", 20),
                millis(agent, "agent.max_retry_backoff_ms", 300_000, false),
                byState(map(agent, "max_concurrent_agents_by_state")),
                sandbox);
    }

    /** Symphony §5.3: invalid entries are ignored, not rejected. */
    private static Map<String, Integer> byState(Map<String, Object> raw) {
        Map<String, Integer> out = new LinkedHashMap<>();
        raw.forEach((state, limit) -> {
            if (limit instanceof Number n
                    && n.longValue() > 0
                    && n.longValue() <= Integer.MAX_VALUE
                    && !States.normalize(state).isEmpty()) {
                out.put(States.normalize(state), n.intValue());
            }
        });
        return out;
    }

    private CodexSettings codex(Map<String, Object> codex) {
        String command = text(codex, "command", "codex app-server");
        if (command.isBlank()) {
            problem("invalid_config", "codex.command must not be blank");
        }
        Object approval = codex.getOrDefault("approval_policy", DEFAULT_APPROVAL);
        return new CodexSettings(
                command,
                approval == null ? DEFAULT_APPROVAL : approval,
                text(codex, "thread_sandbox", "workspace-write"),
                millis(codex, "codex.turn_timeout_ms", 3_600_000, false),
                millis(codex, "codex.read_timeout_ms", 5_000, false),
                millis(codex, "codex.stall_timeout_ms", 300_000, true));
    }

    private ProofOfWork proof(Map<String, Object> proof) {
        String attach = text(proof, "attach", "comment");
        if (!attach.equals("comment") && !attach.equals("none")) {
            problem("invalid_config", "proof_of_work.attach '" + attach + "' must be 'comment' or 'none'");
        }
        return new ProofOfWork(
                strings(proof, "proof_of_work.gated_states", List.of()),
                strings(proof, "proof_of_work.commands", List.of()),
                strings(proof, "proof_of_work.required_files", List.of()),
                millis(proof, "proof_of_work.timeout_ms", 900_000, false),
                attach.equals("comment"));
    }

    private OptionalInt port(Map<String, Object> server) {
        Object value = server.get("port");
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value instanceof Number n && n.intValue() >= 0 && n.intValue() <= 65_535) {
            return OptionalInt.of(n.intValue());
        }
        problem("invalid_config", "server.port must be an integer from 0 to 65535, was '" + value + "'");
        return OptionalInt.empty();
    }

    // ---- values ----

    private Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        problem("invalid_config", "'" + key + "' must be a map, was '" + value + "'");
        return Map.of();
    }

    private Duration millis(Map<String, Object> map, String key, long fallback, boolean zeroAllowed) {
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        Object value = map.get(leaf);
        if (value == null) {
            return Duration.ofMillis(fallback);
        }
        if (value instanceof Number n && (n instanceof Integer || n instanceof Long)) {
            long ms = n.longValue();
            if (ms > 0 || zeroAllowed) {
                return Duration.ofMillis(Math.max(ms, 0));
            }
        }
        problem(
                "invalid_config",
                key + " must be " + (zeroAllowed ? "an integer" : "a positive integer") + ", was '" + value + "'");
        return Duration.ofMillis(fallback);
    }

    private int positive(Map<String, Object> map, String key, int fallback) {
        Object value = map.get(key.substring(key.lastIndexOf('.') + 1));
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer n && n > 0) {
            return n;
        }
        problem("invalid_config", key + " must be a positive integer, was '" + value + "'");
        return fallback;
    }

    private String text(Map<String, Object> map, String key, String fallback) {
        Object value = map.get(key);
        return value == null ? fallback : String.valueOf(value).strip();
    }

    private Optional<String> script(Map<String, Object> hooks, String key) {
        Object value = hooks.get(key);
        return value == null || String.valueOf(value).isBlank() ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    private List<String> strings(Map<String, Object> map, String key, List<String> fallback) {
        Object value = map.get(key.substring(key.lastIndexOf('.') + 1));
        if (value == null) {
            return fallback;
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            list.forEach(
                    item -> out.add(item == null ? "" : String.valueOf(item).strip()));
            return out;
        }
        if (value instanceof String s) {
            return List.of(s.strip());
        }
        problem("invalid_config", key + " must be a list of strings, was '" + value + "'");
        return fallback;
    }

    /** {@code $NAME} → the environment value (empty when unset); anything else unchanged. */
    private String resolveVar(String value) {
        return isVar(value) ? environment.getOrDefault(value.strip().substring(1), "") : value;
    }

    private static boolean isVar(String value) {
        String text = value.strip();
        return text.length() > 1 && text.charAt(0) == '$' && text.substring(1).matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    private void problem(String problemCode, String message) {
        if (code.isEmpty()) {
            code = problemCode;
        }
        problems.add(message);
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().toList().toString();
    }
}
