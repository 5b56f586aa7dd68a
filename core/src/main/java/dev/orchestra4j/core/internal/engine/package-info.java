/**
 * The execution engine. One {@link dev.orchestra4j.core.internal.engine.Coordinator} per leg of a session owns every
 * branch and barrier of that session (an actor loop over its {@link dev.orchestra4j.core.internal.engine.Mailbox}: no
 * locks). A branch's {@link dev.orchestra4j.core.internal.engine.BranchState} and a barrier's state change only through
 * their transition tables ({@link dev.orchestra4j.core.internal.engine.BranchPhase#TABLE}, drawn in
 * {@code docs/engine/}). Agent steps run inline on the coordinator when they are the only work, else on their own
 * virtual threads ({@link dev.orchestra4j.core.internal.engine.Steps}), and post outcomes back.
 * {@link dev.orchestra4j.core.internal.engine.Router} turns a step's response into moves, forks and deliveries;
 * {@link dev.orchestra4j.core.internal.engine.Convergence} opens and closes barriers, whose fire gates are
 * {@link dev.orchestra4j.core.internal.engine.Gates}; who is expected where is the one
 * {@link dev.orchestra4j.core.internal.engine.Candidates} index; branches end in
 * {@link dev.orchestra4j.core.internal.engine.Settlement}; {@link dev.orchestra4j.core.internal.engine.Failures}
 * retries, routes or fails; {@link dev.orchestra4j.core.internal.engine.Timers} holds every session clock, and one
 * shared {@link dev.orchestra4j.core.internal.engine.DeadlineScanner} enforces them: one alarm per session, rung
 * only when something of that session may be due (no polling, no timer per step).
 * {@link dev.orchestra4j.core.internal.engine.Session} is the facade's handle; {@link
 * dev.orchestra4j.core.internal.engine.Legs} runs one leg at a time, {@link
 * dev.orchestra4j.core.internal.engine.Persistence} journals each committed step and {@link
 * dev.orchestra4j.core.internal.engine.Ownership} keeps one owner per session across processes.
 */
@NullMarked
package dev.orchestra4j.core.internal.engine;

import org.jspecify.annotations.NullMarked;
