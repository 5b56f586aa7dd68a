package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.RunStatus;

/**
 * How a session's last leg ended: its status and how many questions it left pending. A suspended session keeps this,
 * not the leg's whole result (its trace, branch results and metrics), for {@code listSessions} and resume checks.
 */
public record LastLeg(RunStatus status, int pendingQuestions) {}
