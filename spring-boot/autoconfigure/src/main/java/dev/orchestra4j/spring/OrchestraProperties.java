package dev.orchestra4j.spring;

import dev.orchestra4j.core.OrchestraInstance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Every {@code orchestra4j.*} property. Validated while binding, with the same rules as core's builders: a bad value
 * stops the application at startup with a message that names the property.
 */
@ConfigurationProperties(OrchestraProperties.PREFIX)
public class OrchestraProperties implements Validator {

    public static final String PREFIX = "orchestra4j";

    @NestedConfigurationProperty
    private final InstanceProperties instance = new InstanceProperties();

    @NestedConfigurationProperty
    private final ExecutionProperties execution = new ExecutionProperties();

    @NestedConfigurationProperty
    private final ErrorProperties errors = new ErrorProperties();

    @NestedConfigurationProperty
    private final StorageProperties storage = new StorageProperties();

    @NestedConfigurationProperty
    private final MetricsProperties metrics = new MetricsProperties();

    /** LlmAgents by node name, built on ChatModel beans. */
    private Map<String, AgentProperties> agents = new LinkedHashMap<>();

    /** Topologies by bean name, inline or from a YAML/JSON resource. */
    private Map<String, TopologyProperties> topologies = new LinkedHashMap<>();

    /** Every problem of every property, each message led by the property's full name. */
    List<String> problems() {
        Problems execution = new Problems(PREFIX + ".execution.");
        this.execution.toConfig(execution);
        Problems errors = new Problems(PREFIX + ".errors.");
        this.errors.toBuilder(errors);
        Problems storage = new Problems(PREFIX + ".storage.");
        this.storage.check(storage);
        Problems instance = new Problems(PREFIX + ".instance.");
        this.instance.check(instance);
        this.instance.apply(OrchestraInstance.builder(), instance);
        Problems named = new Problems(PREFIX + ".");
        topologies.forEach((name, topology) -> {
            if (topology.getResource() != null && topology.isInline()) {
                named.add(
                        "topologies." + name,
                        "set either resource or the inline keys (flows, agents, rules), not both");
            } else if (topology.getResource() == null && topology.getFlows().isEmpty()) {
                named.add("topologies." + name, "needs flows (e.g. \"Start -> A\", \"A -> End\") or a resource");
            }
        });
        agents.forEach((name, agent) -> {
            if (agent.getTools().stream().anyMatch(String::isBlank)) {
                named.add("agents." + name + ".tools", "tool bean names must not be blank");
            }
        });
        return Stream.of(execution, errors, storage, instance, named)
                .flatMap(p -> p.messages().stream())
                .toList();
    }

    @Override
    public boolean supports(Class<?> type) {
        return OrchestraProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        for (String problem : ((OrchestraProperties) target).problems()) {
            errors.reject("orchestra4j.invalid", problem);
        }
    }

    public InstanceProperties getInstance() {
        return instance;
    }

    public ExecutionProperties getExecution() {
        return execution;
    }

    public ErrorProperties getErrors() {
        return errors;
    }

    public StorageProperties getStorage() {
        return storage;
    }

    public MetricsProperties getMetrics() {
        return metrics;
    }

    public Map<String, AgentProperties> getAgents() {
        return agents;
    }

    public void setAgents(Map<String, AgentProperties> agents) {
        this.agents = agents;
    }

    public Map<String, TopologyProperties> getTopologies() {
        return topologies;
    }

    public void setTopologies(Map<String, TopologyProperties> topologies) {
        this.topologies = topologies;
    }
}
