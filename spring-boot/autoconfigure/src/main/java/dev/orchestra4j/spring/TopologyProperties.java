package dev.orchestra4j.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code orchestra4j.topologies.<name>.*}: a {@code Topology} bean named {@code <name>}, either inline (the keys of
 * {@code Topology.fromMap}) or read from a YAML/JSON {@code resource}.
 */
public class TopologyProperties {

    /** A YAML or JSON topology file, e.g. classpath:topologies/research.yaml (not combined with inline keys). */
    private @Nullable String resource;
    /** Agent node names; nodes named in flows are added implicitly. */
    private List<String> agents = new ArrayList<>();
    /** Edges in string notation, e.g. "Start -> Hub", "Hub <-> Researcher", "Hub -> End". */
    private List<String> flows = new ArrayList<>();
    /** Rules, e.g. "timeout(300)", "max_steps(50)", "max_turns(A, 4)". */
    private List<String> rules = new ArrayList<>();
    /** Legacy form: the entry agent. */
    private @Nullable String entryPoint;
    /** Legacy form: the exit agents. */
    private List<String> exitPoints = new ArrayList<>();

    boolean isInline() {
        return !agents.isEmpty() || !flows.isEmpty() || !rules.isEmpty() || entryPoint != null || !exitPoints.isEmpty();
    }

    /** The inline definition in Topology.fromMap form. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (!agents.isEmpty()) {
            map.put("agents", List.copyOf(agents));
        }
        map.put("flows", List.copyOf(flows));
        if (!rules.isEmpty()) {
            map.put("rules", List.copyOf(rules));
        }
        if (entryPoint != null) {
            map.put("entry_point", entryPoint);
        }
        if (!exitPoints.isEmpty()) {
            map.put("exit_points", List.copyOf(exitPoints));
        }
        return map;
    }

    public @Nullable String getResource() {
        return resource;
    }

    public void setResource(@Nullable String resource) {
        this.resource = resource;
    }

    public List<String> getAgents() {
        return agents;
    }

    public void setAgents(List<String> agents) {
        this.agents = agents;
    }

    public List<String> getFlows() {
        return flows;
    }

    public void setFlows(List<String> flows) {
        this.flows = flows;
    }

    public List<String> getRules() {
        return rules;
    }

    public void setRules(List<String> rules) {
        this.rules = rules;
    }

    public @Nullable String getEntryPoint() {
        return entryPoint;
    }

    public void setEntryPoint(@Nullable String entryPoint) {
        this.entryPoint = entryPoint;
    }

    public List<String> getExitPoints() {
        return exitPoints;
    }

    public void setExitPoints(List<String> exitPoints) {
        this.exitPoints = exitPoints;
    }
}
