/**
 * The User node's channel SPI: {@link dev.orchestra4j.core.user.UserChannel} with a programmatic
 * {@link dev.orchestra4j.core.user.QueueUserChannel} and a terminal implementation.
 */
@NullMarked
package dev.orchestra4j.core.user;

import org.jspecify.annotations.NullMarked;
