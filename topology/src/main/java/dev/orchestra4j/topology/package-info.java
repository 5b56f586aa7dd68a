/** Orchestra4j topology. */
@NullMarked
package dev.orchestra4j.topology;

import org.jspecify.annotations.NullMarked;
