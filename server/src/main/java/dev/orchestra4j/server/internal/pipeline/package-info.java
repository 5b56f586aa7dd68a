/** The pipeline routes, compatible with Symphony's Stage server. */
@NullMarked
package dev.orchestra4j.server.internal.pipeline;

import org.jspecify.annotations.NullMarked;
