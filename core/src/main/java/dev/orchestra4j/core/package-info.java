/**
 * Orchestra4j's public API: run a task over a topology with {@link dev.orchestra4j.core.Orchestra#run}, or keep a
 * long-lived {@link dev.orchestra4j.core.OrchestraInstance}; write agents against {@link dev.orchestra4j.core.Agent};
 * configure limits, errors and user interaction; read an {@link dev.orchestra4j.core.OrchestraResult}. The engine
 * lives in {@code dev.orchestra4j.core.internal} and is not API.
 */
@NullMarked
package dev.orchestra4j.core;

import org.jspecify.annotations.NullMarked;
