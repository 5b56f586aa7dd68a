/** The cost of the flow front ends over the same work as hand-written agents. */
@NullMarked
package dev.orchestra4j.benchmarks.flow;

import org.jspecify.annotations.NullMarked;
