/**
 * The Orchestra4j runner: OpenAI Symphony's daemon that polls an issue {@link dev.orchestra4j.runner.Tracker}, gives
 * each eligible issue a workspace, and runs one durable Orchestra4j session per attempt in it. Configured by a
 * {@link dev.orchestra4j.runner.WorkflowFile} ({@code WORKFLOW.md}); started by {@link dev.orchestra4j.runner.RunnerCli}
 * or {@link dev.orchestra4j.runner.Runner}. The scheduler, workspaces, agents and HTTP routes live in {@code
 * dev.orchestra4j.runner.internal}.
 */
@NullMarked
package dev.orchestra4j.runner;

import org.jspecify.annotations.NullMarked;
