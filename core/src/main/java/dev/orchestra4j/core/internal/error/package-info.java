/** Error classification, retry decisions and error routing for agent steps. */
@NullMarked
package dev.orchestra4j.core.internal.error;

import org.jspecify.annotations.NullMarked;
