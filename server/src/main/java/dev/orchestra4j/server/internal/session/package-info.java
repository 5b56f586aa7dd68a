/** The native session API: sessions of registered topologies, their questions, checkpoints, results and traces. */
@NullMarked
package dev.orchestra4j.server.internal.session;

import org.jspecify.annotations.NullMarked;
