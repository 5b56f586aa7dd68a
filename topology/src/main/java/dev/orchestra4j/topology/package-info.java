/**
 * The topology model: who may talk to whom. A {@link dev.orchestra4j.topology.Topology} is an immutable,
 * validated graph of {@link dev.orchestra4j.topology.Node}s and {@link dev.orchestra4j.topology.Edge}s plus
 * {@link dev.orchestra4j.topology.Rule}s, built with a builder, from edge notation strings
 * ({@code "A -> B"}, {@code "A <-> B"}, {@code "A <~> B"}, {@code "A <|> B"}), from a map, JSON or YAML, or from
 * a {@link dev.orchestra4j.topology.PatternConfig} factory. Its {@link dev.orchestra4j.topology.TopologyAnalysis}
 * answers the engine's questions (successors, rendezvous nodes, reachability) in constant time, and
 * {@link dev.orchestra4j.topology.Topology#toMermaid()} draws it.
 */
@NullMarked
package dev.orchestra4j.topology;

import org.jspecify.annotations.NullMarked;
