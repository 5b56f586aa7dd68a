/** Live console progress for {@link dev.orchestra4j.core.StatusConfig}, printed from the session's events. */
@NullMarked
package dev.orchestra4j.core.internal.status;

import org.jspecify.annotations.NullMarked;
