/** Orchestra4j core. */
@NullMarked
package dev.orchestra4j.core;

import org.jspecify.annotations.NullMarked;
