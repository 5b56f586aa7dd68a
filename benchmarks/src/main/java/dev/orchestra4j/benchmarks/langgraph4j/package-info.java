/**
 * LangGraph4j ({@code org.bsc.langgraph4j:langgraph4j-core}) running the shared workloads as compiled
 * {@code StateGraph}s: a line of nodes for the pipeline, and a {@code fork} node with one edge per branch into
 * a {@code join} node for the fan-out. Each benchmark runs with LangGraph4j's default state serializer (Java
 * object streams, used to clone the state at every step) and with a shallow-copy serializer, because the
 * clone dominates its per-step cost.
 */
@NullMarked
package dev.orchestra4j.benchmarks.langgraph4j;

import org.jspecify.annotations.NullMarked;
