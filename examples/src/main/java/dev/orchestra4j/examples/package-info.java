/** Orchestra4j examples. */
@NullMarked
package dev.orchestra4j.examples;

import org.jspecify.annotations.NullMarked;
