/** Implementation of the core module; nothing here is public API and it may change at any time. */
@NullMarked
package dev.orchestra4j.core.internal;

import org.jspecify.annotations.NullMarked;
