/**
 * LangChain4j-agentic ({@code dev.langchain4j:langchain4j-agentic}) running the shared workloads with
 * plain-Java agents ({@code AgenticServices.agentAction}, no language model): a {@code sequenceBuilder} of
 * agents for the pipeline and a {@code parallelBuilder} for the fan-out, the latter both on virtual threads
 * and on the caller thread ({@code Runnable::run}). Each agent writes its workload output into the shared
 * {@code AgenticScope}.
 */
@NullMarked
package dev.orchestra4j.benchmarks.agentic;

import org.jspecify.annotations.NullMarked;
