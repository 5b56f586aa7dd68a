/**
 * Runnable Orchestra4j examples and the {@link dev.orchestra4j.examples.Cli} that runs them. Each example is a small
 * class with its topology, its agents and a {@code run(...)} method that takes its model or agents, so tests (and
 * readers) can swap them: {@link dev.orchestra4j.examples.ResearchAndReport} (LLM agents, parallel spokes),
 * {@link dev.orchestra4j.examples.EtlPipeline}, {@link dev.orchestra4j.examples.CriticRevise},
 * {@link dev.orchestra4j.examples.ParallelExperts}, {@link dev.orchestra4j.examples.ErrorRecovery},
 * {@link dev.orchestra4j.examples.ConditionalRoute}, {@link dev.orchestra4j.examples.CodingRun},
 * {@link dev.orchestra4j.examples.FollowUpSession} and {@link dev.orchestra4j.examples.PauseResume}. Everything runs
 * offline by default; the LLM-driven examples use OpenAI or Ollama when the environment names one.
 */
@NullMarked
package dev.orchestra4j.examples;

import org.jspecify.annotations.NullMarked;
