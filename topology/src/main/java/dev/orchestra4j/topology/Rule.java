package dev.orchestra4j.topology;

import dev.orchestra4j.topology.internal.Names;
import dev.orchestra4j.topology.internal.RuleParser;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A constraint attached to a topology. Every rule is enforced by the engine. Written in notation as
 * {@code timeout(S)}, {@code max_steps(N)}, {@code max_agents(N)}, {@code max_turns(A, N)},
 * {@code convergence_point(X)} or {@code parallel(A, B, C)}; {@link #parse(String)} reads and
 * {@link #notation()} writes that form.
 */
public sealed interface Rule {

    /** This rule in notation; {@code Rule.parse(rule.notation()).equals(rule)}. */
    String notation();

    /**
     * Parses one rule in notation.
     *
     * @throws TopologyException naming the text and the position when it is not a valid rule
     */
    static Rule parse(String text) {
        return RuleParser.parse(text);
    }

    /** The whole run must finish within {@code duration} ({@code timeout(S)}, S in seconds, may be decimal). */
    record Timeout(Duration duration) implements Rule {
        /** Validates. */
        public Timeout {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + duration);
            }
        }

        @Override
        public String notation() {
            BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                    .add(BigDecimal.valueOf(duration.getNano(), 9))
                    .stripTrailingZeros();
            return "timeout(" + seconds.toPlainString() + ")";
        }
    }

    /** At most {@code steps} agent steps in the whole run ({@code max_steps(N)}). */
    record MaxSteps(int steps) implements Rule {
        /** Validates. */
        public MaxSteps {
            positive("max_steps", steps);
        }

        @Override
        public String notation() {
            return "max_steps(" + steps + ")";
        }
    }

    /** At most {@code agents} branches alive at once; further forks queue ({@code max_agents(N)}). */
    record MaxAgents(int agents) implements Rule {
        /** Validates. */
        public MaxAgents {
            positive("max_agents", agents);
        }

        @Override
        public String notation() {
            return "max_agents(" + agents + ")";
        }
    }

    /** At most {@code turns} exchanges on conversation edges touching {@code agent} ({@code max_turns(A, N)}). */
    record MaxTurns(String agent, int turns) implements Rule {
        /** Validates. */
        public MaxTurns {
            Names.check(agent);
            positive("max_turns", turns);
        }

        @Override
        public String notation() {
            return "max_turns(" + agent + ", " + turns + ")";
        }
    }

    /** {@code node} is always a rendezvous, like {@link ConvergenceMode#FORCE} ({@code convergence_point(X)}). */
    record ConvergencePoint(String node) implements Rule {
        /** Validates. */
        public ConvergencePoint {
            Names.check(node);
        }

        @Override
        public String notation() {
            return "convergence_point(" + node + ")";
        }
    }

    /**
     * These agents are dispatched together ({@code parallel(A, B, C)}; at least two, distinct, each in at most
     * one such rule): when an agent that is not one of them hands off to one of them, by {@code invoke} or by a
     * {@code reply} that the edges route there, the engine forks to every one of them it has an edge to, with the
     * same request, and the sender resumes with their aggregate. See
     * {@link TopologyAnalysis#dispatchGroup(String, String)}.
     */
    record Parallel(List<String> agents) implements Rule {
        /** Validates and copies. */
        public Parallel {
            agents = List.copyOf(agents);
            agents.forEach(Names::check);
            if (agents.size() < 2) {
                throw new IllegalArgumentException("parallel needs at least 2 agents, was " + agents.size());
            }
            if (new HashSet<>(agents).size() != agents.size()) {
                throw new IllegalArgumentException("parallel agents must be distinct, was " + agents);
            }
        }

        @Override
        public String notation() {
            return "parallel(" + String.join(", ", agents) + ")";
        }
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
    }
}
