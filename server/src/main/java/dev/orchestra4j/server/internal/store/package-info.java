/** Durable JSON records of the server (session index, results, workflows, pipeline runs) in a StorageBackend. */
@NullMarked
package dev.orchestra4j.server.internal.store;

import org.jspecify.annotations.NullMarked;
