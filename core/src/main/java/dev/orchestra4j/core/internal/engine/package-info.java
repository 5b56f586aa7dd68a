/**
 * The execution engine. One {@link dev.orchestra4j.core.internal.engine.Coordinator} per session, itself a virtual
 * thread, owns every branch and barrier of that session (an actor loop: no locks). Agent steps run inline on the
 * coordinator when they are the only work, else on their own virtual threads, and post outcomes back to its mailbox.
 * {@link dev.orchestra4j.core.internal.engine.Router} turns a step's response into moves, forks and deliveries;
 * {@link dev.orchestra4j.core.internal.engine.Convergence} keeps barrier candidacy and fires barriers;
 * {@link dev.orchestra4j.core.internal.engine.Failures} retries, routes or fails; one shared
 * {@link dev.orchestra4j.core.internal.engine.DeadlineScanner} enforces every timeout without a timer per step.
 */
@NullMarked
package dev.orchestra4j.core.internal.engine;

import org.jspecify.annotations.NullMarked;
