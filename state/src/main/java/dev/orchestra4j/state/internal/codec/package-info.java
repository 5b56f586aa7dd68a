/**
 * The snapshot wire format: a nine-byte header (magic {@code "O4JS"}, an encoding byte for plain or gzip
 * JSON, and a CRC32C of the encoding byte and the body, checked before anything is parsed) followed by
 * the session envelope as JSON, written and read field by field with a private Jackson mapper (no
 * modules, no polymorphic typing, strict duplicate and trailing-token checks, and read limits that accept
 * everything it writes). Payloads and journal events pass the {@link dev.orchestra4j.state.Redactor}
 * while they are written. In an envelope, and in the engine's journal entries, each long text is written once
 * ({@link dev.orchestra4j.state.internal.codec.RepeatedText}). Every decoding failure becomes a {@link dev.orchestra4j.state.StateException}
 * naming the session and the field.
 */
@NullMarked
package dev.orchestra4j.state.internal.codec;

import org.jspecify.annotations.NullMarked;
