/**
 * Flow front ends in action: the Symphony quick start as a typed pipeline, a pipeline with fork and cycle, the four
 * workflow templates on an offline scripted model, and a {@code depends_on} task graph. Each compiles to a topology
 * and runs on the engine.
 */
@NullMarked
package dev.orchestra4j.examples.flow;

import org.jspecify.annotations.NullMarked;
