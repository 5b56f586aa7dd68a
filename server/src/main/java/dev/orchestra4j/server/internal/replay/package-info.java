/** The recorded-run API behind the console's step pages: a session's recorded steps, one step, forks (issue #19). */
@NullMarked
package dev.orchestra4j.server.internal.replay;

import org.jspecify.annotations.NullMarked;
