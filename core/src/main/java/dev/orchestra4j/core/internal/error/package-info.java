/**
 * Error handling for agent steps (SPEC §4.6), as small decisions the engine calls: {@link
 * dev.orchestra4j.core.internal.error.DefaultErrorClassifier} turns a failure into an {@link
 * dev.orchestra4j.core.ErrorCategory} and finds a provider's {@code Retry-After}; {@link
 * dev.orchestra4j.core.internal.error.RetryPlanner} says whether and when to retry (Resilience4j backoff, no sleeping);
 * {@link dev.orchestra4j.core.internal.error.AgentGuards} wraps agent calls in the user's Resilience4j circuit
 * breakers, rate limiters and bulkheads; {@link dev.orchestra4j.core.internal.error.ErrorDecision} reads the user's
 * Retry / Skip / Abort answer.
 */
@NullMarked
package dev.orchestra4j.core.internal.error;

import org.jspecify.annotations.NullMarked;
