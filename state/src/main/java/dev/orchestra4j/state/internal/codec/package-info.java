/**
 * The snapshot wire format: a five-byte header (magic {@code "O4JS"} plus an encoding byte for plain or
 * gzip JSON) followed by the session envelope as JSON, written and read field by field with an explicitly
 * configured Jackson mapper (no polymorphic typing, strict duplicate and trailing-token checks). Every
 * decoding failure becomes a {@link dev.orchestra4j.state.StateException} naming the session and the field.
 */
@NullMarked
package dev.orchestra4j.state.internal.codec;

import org.jspecify.annotations.NullMarked;
