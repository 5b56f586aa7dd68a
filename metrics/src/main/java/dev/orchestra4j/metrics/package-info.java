/** Orchestra4j metrics. */
@NullMarked
package dev.orchestra4j.metrics;

import org.jspecify.annotations.NullMarked;
