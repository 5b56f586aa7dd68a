package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The typed front matter of a {@code WORKFLOW.md}, with every Symphony default filled in, {@code $VAR} and {@code ~}
 * resolved and relative paths made absolute against the workflow's directory. Build one with {@link
 * #from(WorkflowFile)}; every invalid value is reported at once in one {@link WorkflowException}.
 *
 * @param tracker which tracker, its provider settings and its states
 * @param pollInterval {@code polling.interval_ms}, default 30 s
 * @param workspaceRoot {@code workspace.root}, default {@code <tmp>/symphony_workspaces}
 * @param hooks {@code hooks.*}
 * @param agent {@code agent.*}: slots, turns, backoff cap, and the Orchestra4j agent kind
 * @param codex {@code codex.*}: the app-server command and its timeouts (stall detection applies to every kind)
 * @param proofOfWork the {@code proof_of_work} extension; empty gated states switch the gate off
 * @param serverPort {@code server.port}; empty keeps the HTTP API off unless {@code --port} is given
 */
public record RunnerConfig(
        TrackerSettings tracker,
        Duration pollInterval,
        Path workspaceRoot,
        Hooks hooks,
        AgentSettings agent,
        CodexSettings codex,
        ProofOfWork proofOfWork,
        OptionalInt serverPort) {

    public RunnerConfig {
        requireNonNull(tracker, "tracker");
        requireNonNull(pollInterval, "pollInterval");
        requireNonNull(workspaceRoot, "workspaceRoot");
        requireNonNull(hooks, "hooks");
        requireNonNull(agent, "agent");
        requireNonNull(codex, "codex");
        requireNonNull(proofOfWork, "proofOfWork");
        requireNonNull(serverPort, "serverPort");
    }

    /** The config of a workflow file, resolving {@code $VAR} against this process's environment. */
    public static RunnerConfig from(WorkflowFile workflow) {
        return from(workflow, System.getenv());
    }

    /** The config of a workflow file, resolving {@code $VAR} against {@code environment}. */
    public static RunnerConfig from(WorkflowFile workflow, Map<String, String> environment) {
        return new ConfigReader(workflow, environment).read();
    }

    /** Where the runner keeps its durable state: sessions, the running table and the retry queue. */
    public Path stateDirectory() {
        return workspaceRoot.resolve(".orchestra4j");
    }

    /**
     * {@code tracker.*}.
     *
     * @param kind {@code memory}, {@code file} or {@code github}
     * @param provider adapter-owned settings, {@code $VAR} values resolved, unknown keys kept
     * @param requiredLabels labels every dispatched issue must carry, trimmed and lowercased
     * @param activeStates states that are dispatched, as configured
     * @param terminalStates states whose workspaces are removed, as configured
     * @param secretVariables environment variables the provider settings name with {@code $VAR}; agent processes
     *     never see them
     */
    public record TrackerSettings(
            String kind,
            Map<String, Object> provider,
            List<String> requiredLabels,
            List<String> activeStates,
            List<String> terminalStates,
            List<String> secretVariables) {

        public TrackerSettings {
            requireNonNull(kind, "kind");
            provider = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provider));
            requiredLabels = List.copyOf(requiredLabels);
            activeStates = List.copyOf(activeStates);
            terminalStates = List.copyOf(terminalStates);
            secretVariables = List.copyOf(secretVariables);
        }

        /** Whether {@code state} is active, compared trimmed and lowercased. */
        public boolean isActive(String state) {
            return contains(activeStates, state);
        }

        /** Whether {@code state} is terminal, compared trimmed and lowercased. */
        public boolean isTerminal(String state) {
            return contains(terminalStates, state);
        }

        /** A provider setting as text, if present. */
        public Optional<String> providerText(String key) {
            Object value = provider.get(key);
            return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
        }

        static boolean contains(List<String> states, String state) {
            String wanted = States.normalize(state);
            return states.stream().map(States::normalize).anyMatch(wanted::equals);
        }
    }

    /**
     * {@code hooks.*}: shell scripts run with {@code sh -lc} in the workspace.
     *
     * @param afterCreate after a workspace directory is created; failure aborts the attempt
     * @param beforeRun before each attempt; failure aborts it
     * @param afterRun after each attempt; failure is logged
     * @param beforeRemove before a workspace is removed; failure is logged
     * @param timeout {@code hooks.timeout_ms}, default 60 s, for every hook
     */
    public record Hooks(
            Optional<String> afterCreate,
            Optional<String> beforeRun,
            Optional<String> afterRun,
            Optional<String> beforeRemove,
            Duration timeout) {

        public Hooks {
            requireNonNull(afterCreate, "afterCreate");
            requireNonNull(beforeRun, "beforeRun");
            requireNonNull(afterRun, "afterRun");
            requireNonNull(beforeRemove, "beforeRemove");
            requireNonNull(timeout, "timeout");
        }
    }

    /**
     * {@code agent.*}.
     *
     * @param kind {@code topology} (default: an Orchestra4j session) or {@code codex} (the app-server protocol)
     * @param topology a built-in topology name or a topology file; default {@code coding-run}
     * @param handoffState where a successful run leaves the issue; default {@code Human Review}
     * @param maxConcurrentAgents global slots, default 10
     * @param maxTurns turns per attempt, default 20
     * @param maxRetryBackoff cap on failure backoff, default 5 min
     * @param maxConcurrentAgentsByState per-state slots, keys trimmed and lowercased; invalid entries ignored
     * @param commandSandbox where the topology agents' {@code run_command} runs: {@code namespace} (default; Linux
     *     namespaces, only the workspace writable and visible) or {@code none}
     */
    public record AgentSettings(
            String kind,
            String topology,
            String handoffState,
            int maxConcurrentAgents,
            int maxTurns,
            Duration maxRetryBackoff,
            Map<String, Integer> maxConcurrentAgentsByState,
            String commandSandbox) {

        public AgentSettings {
            requireNonNull(commandSandbox, "commandSandbox");
            requireNonNull(kind, "kind");
            requireNonNull(topology, "topology");
            requireNonNull(handoffState, "handoffState");
            requireNonNull(maxRetryBackoff, "maxRetryBackoff");
            maxConcurrentAgentsByState = Map.copyOf(maxConcurrentAgentsByState);
        }
    }

    /**
     * {@code codex.*}.
     *
     * @param command the app-server command, run with {@code bash -lc} in the workspace
     * @param approvalPolicy passed through to the app server
     * @param threadSandbox passed through to the app server
     * @param turnTimeout the longest silence while a turn streams, default 1 h (a step timeout for topology agents)
     * @param readTimeout start-up and request/response timeout, default 5 s
     * @param stallTimeout how long a running agent may emit no event before it is killed; zero disables it
     */
    public record CodexSettings(
            String command,
            Object approvalPolicy,
            String threadSandbox,
            Duration turnTimeout,
            Duration readTimeout,
            Duration stallTimeout) {

        public CodexSettings {
            requireNonNull(command, "command");
            requireNonNull(approvalPolicy, "approvalPolicy");
            requireNonNull(threadSandbox, "threadSandbox");
            requireNonNull(turnTimeout, "turnTimeout");
            requireNonNull(readTimeout, "readTimeout");
            requireNonNull(stallTimeout, "stallTimeout");
        }
    }

    /**
     * The {@code proof_of_work} extension: moving an issue into a gated state needs every command to exit 0 in the
     * workspace and every required file to exist there, non-empty.
     *
     * @param gatedStates target states that are gated; empty switches the gate off
     * @param commands shell commands run with {@code sh -lc} in the workspace
     * @param requiredFiles workspace-relative files that must exist and be non-empty
     * @param timeout per command, default 15 min
     * @param attachComment whether the evidence of every gate run is posted to the issue as a comment
     */
    public record ProofOfWork(
            List<String> gatedStates,
            List<String> commands,
            List<String> requiredFiles,
            Duration timeout,
            boolean attachComment) {

        public ProofOfWork {
            gatedStates = List.copyOf(gatedStates);
            commands = List.copyOf(commands);
            requiredFiles = List.copyOf(requiredFiles);
            requireNonNull(timeout, "timeout");
        }

        /** Whether moving into {@code state} needs the gate. */
        public boolean gates(String state) {
            return TrackerSettings.contains(gatedStates, state);
        }
    }
}
