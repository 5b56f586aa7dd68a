/**
 * How the metrics module turns events into meters and observations: the event switch, the meter set, the bounded table
 * of live sessions and branches, the observation factory and the tag-value cap. Not API; may change without notice.
 */
@NullMarked
package dev.orchestra4j.metrics.internal;

import org.jspecify.annotations.NullMarked;
