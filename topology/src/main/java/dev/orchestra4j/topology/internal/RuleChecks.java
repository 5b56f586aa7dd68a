package dev.orchestra4j.topology.internal;

import static dev.orchestra4j.topology.internal.Names.quote;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.Rule;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule part of validation: rules name known agents, singleton rules appear once, {@code max_turns} once per
 * agent, an agent in at most one {@code parallel} rule, and {@code convergence_point} does not contradict a {@code DISABLED} node. Numbers are already
 * positive: the rule records refuse anything else.
 */
final class RuleChecks {
    private RuleChecks() {}

    static void check(List<Rule> rules, Map<String, Node> nodes, List<String> problems) {
        Set<String> singletons = new HashSet<>();
        Set<String> grouped = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (Rule rule : rules) {
            String shown = quote(rule.notation());
            if (!seen.add(rule.notation())) {
                problems.add("duplicate rule " + shown);
                continue;
            }
            String key = singletonKey(rule);
            if (!key.isEmpty() && !singletons.add(key)) {
                problems.add("more than one " + key + " rule; found another in " + shown);
            }
            for (String name : names(rule)) {
                checkAgent(name, shown, nodes, problems);
            }
            if (rule instanceof Rule.Parallel(List<String> agents)) {
                agents.stream()
                        .filter(agent -> !grouped.add(agent))
                        .forEach(agent -> problems.add("agent " + quote(agent) + " is in more than one parallel "
                                + "rule; found it again in " + shown + " (each agent dispatches with one group)"));
            }
            if (rule instanceof Rule.ConvergencePoint(String node)
                    && nodes.containsKey(node)
                    && nodes.get(node).convergence() == ConvergenceMode.DISABLED) {
                problems.add("rule " + shown + " contradicts convergence DISABLED of " + quote(node));
            }
        }
    }

    /** What may appear only once, or "" when the rule may repeat. */
    private static String singletonKey(Rule rule) {
        return switch (rule) {
            case Rule.Timeout timeout -> "timeout";
            case Rule.MaxSteps steps -> "max_steps";
            case Rule.MaxAgents agents -> "max_agents";
            case Rule.MaxTurns turns -> "max_turns(" + turns.agent() + ")";
            case Rule.ConvergencePoint point -> "";
            case Rule.Parallel parallel -> "";
        };
    }

    private static List<String> names(Rule rule) {
        return switch (rule) {
            case Rule.Timeout timeout -> List.of();
            case Rule.MaxSteps steps -> List.of();
            case Rule.MaxAgents agents -> List.of();
            case Rule.MaxTurns turns -> List.of(turns.agent());
            case Rule.ConvergencePoint point -> List.of(point.node());
            case Rule.Parallel parallel -> parallel.agents();
        };
    }

    private static void checkAgent(String name, String shown, Map<String, Node> nodes, List<String> problems) {
        if (!nodes.containsKey(name)) {
            problems.add("rule " + shown + " references unknown node " + quote(name));
        } else if (!nodes.get(name).isAgent()) {
            problems.add("rule " + shown + " must name an agent, " + quote(name) + " is "
                    + nodes.get(name).kind());
        }
    }
}
