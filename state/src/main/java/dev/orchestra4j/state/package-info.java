/** Orchestra4j state. */
@NullMarked
package dev.orchestra4j.state;

import org.jspecify.annotations.NullMarked;
