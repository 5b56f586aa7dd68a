/**
 * Implementation of the topology module, not public API: the edge and rule notation parsers, the map/JSON/YAML
 * reader and writer with the legacy translation, the validator, the indexed graph behind
 * {@link dev.orchestra4j.topology.TopologyAnalysis} (Tarjan SCCs, reachability bit sets) and the Mermaid renderer.
 * Types here may change without notice; use the types in {@code dev.orchestra4j.topology} instead.
 */
@NullMarked
package dev.orchestra4j.topology.internal;

import org.jspecify.annotations.NullMarked;
