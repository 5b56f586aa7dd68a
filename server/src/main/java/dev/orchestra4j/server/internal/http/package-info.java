/** HTTP plumbing shared by every route group: JSON bodies, API errors, API key, CORS, size and rate limits. */
@NullMarked
package dev.orchestra4j.server.internal.http;

import org.jspecify.annotations.NullMarked;
