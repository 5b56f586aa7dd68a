/** Asynchronous, bounded, failure-isolated delivery of events to listeners. */
@NullMarked
package dev.orchestra4j.core.internal.event;

import org.jspecify.annotations.NullMarked;
