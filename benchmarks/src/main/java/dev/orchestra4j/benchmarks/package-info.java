/** Orchestra4j benchmarks. */
@NullMarked
package dev.orchestra4j.benchmarks;

import org.jspecify.annotations.NullMarked;
