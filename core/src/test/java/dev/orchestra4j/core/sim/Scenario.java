package dev.orchestra4j.core.sim;

import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One generated case: a random valid topology (a chain from Start to End that keeps every agent reachable, plus
 * forks, joins with a convergence mode, conditional and error edges, loops, edges to User and to End, extra entry
 * agents, limits) and the settings it runs with.
 */
record Scenario(
        long seed,
        Topology topology,
        ConvergencePolicy policy,
        int maxSteps,
        Optional<Duration> runTimeout,
        Duration autoSave,
        int maxRetries,
        boolean checkpoints,
        boolean storageFaults,
        UserMode userMode,
        boolean registeredCondition) {

    /** How the user is reached. */
    enum UserMode {
        /** Questions suspend the session (WAITING_FOR_USER); no follow-ups. */
        DURABLE,
        /** Questions suspend the session; after a round, a live channel is asked for a follow-up. */
        DURABLE_WITH_FOLLOW_UPS,
        /** Questions and follow-ups go to a live channel while the leg waits. */
        LIVE_WITH_FOLLOW_UPS
    }

    static final Duration FOLLOW_UP_TIMEOUT = Duration.ofSeconds(90);

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    static final Duration BRANCH_TIMEOUT = Duration.ofSeconds(120);
    static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration BASE_DELAY = Duration.ofSeconds(1);
    static final String[] LABELS = {"x", "y"};

    /**
     * With {@link #registeredCondition}, {@code [when x]} is a registered predicate, not a label: it holds for a reply
     * whose content ends with this (a reply labelled x says so in its content too), and throws for one that ends
     * with {@link #CONDITION_FAILS}. Its verdicts are taken where the step ran and journaled with the outcome, so
     * recovery must replay them, not ask the predicate again.
     */
    static final String REGISTERED = "x";

    static final String REGISTERED_HOLDS = " [x]";
    static final String CONDITION_FAILS = " [x?]";

    static Scenario generate(long seed) {
        Random random = new Random(seed);
        int n = 2 + random.nextInt(4);
        Topology.Builder builder = Topology.builder();
        Set<String> used = new HashSet<>();
        Map<String, Map<String, Object>> metadata = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> meta = new LinkedHashMap<>();
            switch (random.nextInt(8)) {
                case 0 -> meta.put("step_timeout", (2 + random.nextInt(10)) + "s");
                case 1 -> meta.put("max_retries", random.nextInt(3));
                case 2 -> meta.put("max_concurrency", 1 + random.nextInt(2));
                default -> {}
            }
            ConvergenceMode mode = random.nextInt(3) == 0
                    ? ConvergenceMode.values()[random.nextInt(ConvergenceMode.values().length)]
                    : ConvergenceMode.AUTO;
            builder.node(new Node("A" + i, NodeKind.AGENT, mode, meta));
            metadata.put("A" + i, meta);
        }
        edge(builder, used, "Start", "A0", "");
        for (int i = 0; i + 1 < n; i++) {
            edge(builder, used, "A" + i, "A" + (i + 1), "");
        }
        edge(builder, used, "A" + (n - 1), "End", "");
        Set<String> errorSources = new HashSet<>();
        for (int extra = random.nextInt(2 * n + 2); extra > 0; extra--) {
            String a = "A" + random.nextInt(n);
            String b = "A" + random.nextInt(n);
            switch (random.nextInt(12)) {
                case 0, 1 -> edge(builder, used, a, b, ""); // forks when several hold, loops when backwards
                case 2, 3 -> edge(builder, used, a, b, " [when " + LABELS[random.nextInt(2)] + "]");
                case 4 -> edge(builder, used, a, "End", "");
                case 5 -> edge(builder, used, "Start", b, ""); // another entry agent: another root branch
                case 6, 7 -> edge(builder, used, a, "User", "");
                case 8 -> {
                    if (!a.equals(b) && errorSources.add(a)) {
                        builder.edge(a + " -> " + b + " [on error]");
                    }
                }
                default -> { // two-way edges: bidirectional, symmetric peers (no fork to each other), ping-pong
                    String arrow = List.of("<->", "<|>", "<~>").get(random.nextInt(3));
                    if (!a.equals(b) && !used.contains(a + ">" + b) && !used.contains(b + ">" + a)) {
                        used.add(a + ">" + b);
                        used.add(b + ">" + a);
                        builder.edge(a + " " + arrow + " " + b);
                    }
                }
            }
        }
        if (n >= 3 && random.nextInt(5) == 0) { // two agents dispatched together when handed work by another
            int first = random.nextInt(n);
            int second = (first + 1 + random.nextInt(n - 1)) % n;
            builder.rule("parallel(A" + first + ", A" + second + ")");
        }
        if (random.nextInt(6) == 0) {
            builder.rule("max_turns(A" + random.nextInt(n) + ", " + (2 + random.nextInt(3)) + ")");
        }
        if (random.nextInt(5) == 0) {
            builder.rule("max_agents(" + (1 + random.nextInt(3)) + ")");
        }
        if (random.nextInt(5) == 0) {
            builder.rule("max_steps(" + (6 + random.nextInt(15)) + ")");
        }
        ConvergencePolicy policy = List.of(ConvergencePolicy.STRICT, ConvergencePolicy.MAJORITY, ConvergencePolicy.ANY)
                .get(random.nextInt(3));
        Optional<Duration> runTimeout =
                random.nextInt(3) == 0 ? Optional.of(Duration.ofSeconds(200 + random.nextInt(400))) : Optional.empty();
        Duration autoSave = random.nextInt(4) == 0 ? Duration.ofSeconds(5) : Duration.ZERO;
        int maxSteps = 12 + random.nextInt(20);
        int maxRetries = random.nextInt(3);
        boolean checkpoints = random.nextInt(2) == 0;
        boolean storageFaults = random.nextInt(4) == 0;
        UserMode userMode = random.nextInt(2) == 0 ? UserMode.DURABLE : UserMode.values()[1 + random.nextInt(2)];
        // drawn last, so that every earlier choice of a seed is what it was before this was added
        boolean registeredCondition = random.nextInt(2) == 0;
        return new Scenario(
                seed,
                builder.build(),
                policy,
                maxSteps,
                runTimeout,
                autoSave,
                maxRetries,
                checkpoints,
                storageFaults,
                userMode,
                registeredCondition);
    }

    private static void edge(Topology.Builder builder, Set<String> used, String from, String to, String condition) {
        if (!from.equals(to) && used.add(from + ">" + to)) {
            builder.edge(from + " -> " + to + condition);
        }
    }

    ExecutionConfig executionConfig() {
        ExecutionConfig.Builder b = ExecutionConfig.builder()
                .stepTimeout(STEP_TIMEOUT)
                .branchTimeout(BRANCH_TIMEOUT)
                .convergenceTimeout(CONVERGENCE_TIMEOUT)
                .convergencePolicy(policy);
        runTimeout.ifPresent(b::runTimeout);
        return b.build();
    }

    /** Whether an edge out of {@code node} is {@code [when x]}: with the condition registered, its replies are judged. */
    boolean judges(String node) {
        return topology.edges().stream()
                .anyMatch(e -> e.source().equals(node) && e.condition().equals(Optional.of(REGISTERED)));
    }

    /** The registered predicate {@code [when x]} stands for in a scenario that registers it. */
    static boolean registeredHolds(Object content) {
        String text = String.valueOf(content);
        if (text.endsWith(CONDITION_FAILS)) {
            throw new IllegalStateException("the condition cannot judge " + text);
        }
        return text.endsWith(REGISTERED_HOLDS);
    }

    /**
     * The labels a reply from {@code node} may carry so that at least one edge holds (empty string: no label), so the
     * simulated agents never make a decision the topology refuses (a refused one is steered and retried with the same
     * error, which would make two legitimate steps look alike).
     */
    List<String> replyLabels(String node) {
        boolean unconditional = false;
        Set<String> labels = new HashSet<>();
        for (Edge e : topology.edges()) {
            if (!e.source().equals(node) || e.isError()) {
                continue;
            }
            if (e.condition().isPresent()) {
                labels.add(e.condition().get());
            } else {
                unconditional = true;
            }
        }
        List<String> out = new ArrayList<>();
        if (unconditional) {
            out.add("");
            out.addAll(List.of(LABELS));
        } else {
            out.addAll(labels.stream().sorted().toList());
        }
        return out;
    }

    /** The agents {@code node} is a symmetric peer of ({@code <|>}): it may hand work to them, never fork to them. */
    Set<String> symmetricPeers(String node) {
        Set<String> out = new HashSet<>();
        for (Edge e : topology.edges()) {
            if ("symmetric".equals(e.pattern()) && e.source().equals(node)) {
                out.add(e.target());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "seed=" + seed + " policy=" + policy + " maxSteps=" + maxSteps + " runTimeout=" + runTimeout
                + " autoSave=" + autoSave + " maxRetries=" + maxRetries + " checkpoints=" + checkpoints
                + " storageFaults=" + storageFaults + " user=" + userMode + " registeredCondition="
                + registeredCondition + " edges="
                + topology.edges().stream().map(Edge::notation).toList() + " rules=" + topology.rules()
                + " nodes="
                + topology.nodes().stream()
                        .filter(nd -> nd.isAgent())
                        .map(nd -> nd.name() + nd.metadata() + "/" + nd.convergence())
                        .toList();
    }
}
