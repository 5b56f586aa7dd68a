/**
 * The User node's channel SPI (SPEC §4.7): {@link dev.orchestra4j.core.user.UserChannel}, with {@link
 * dev.orchestra4j.core.user.QueueUserChannel} for programs (a test or a server answers by interaction id) and {@link
 * dev.orchestra4j.core.user.TerminalUserChannel} for a person at a terminal. Channels never block the asker: several
 * questions may wait at once, each answered on its own.
 */
@NullMarked
package dev.orchestra4j.core.user;

import org.jspecify.annotations.NullMarked;
