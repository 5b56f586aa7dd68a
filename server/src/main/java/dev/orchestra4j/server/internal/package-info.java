/** The server's implementation: route groups, security filters, the event hub and the durable record store. */
@NullMarked
package dev.orchestra4j.server.internal;

import org.jspecify.annotations.NullMarked;
