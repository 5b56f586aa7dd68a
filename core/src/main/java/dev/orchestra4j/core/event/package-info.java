/**
 * Typed events of a session ({@link dev.orchestra4j.core.event.OrchestraEvent}) and the listener that receives them.
 * Metrics, tracing and console status are all built on these events; core never calls them directly.
 */
@NullMarked
package dev.orchestra4j.core.event;

import org.jspecify.annotations.NullMarked;
