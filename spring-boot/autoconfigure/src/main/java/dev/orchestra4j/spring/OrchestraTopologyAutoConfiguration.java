package dev.orchestra4j.spring;

import dev.orchestra4j.topology.Topology;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * Registers a {@link Topology} bean for each {@code orchestra4j.topologies.<name>}, before {@link
 * OrchestraAutoConfiguration} looks for topologies.
 */
@AutoConfiguration(before = OrchestraAutoConfiguration.class)
@ConditionalOnClass(Topology.class)
@Import(TopologyRegistrar.class)
public class OrchestraTopologyAutoConfiguration {}
