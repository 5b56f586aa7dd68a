/**
 * The run-graph API, wire-compatible with AI Orchestra's orchestration service: request validation, durable
 * workflow records and their execution (sequential, parallel, dependency graph).
 */
@NullMarked
package dev.orchestra4j.server.internal.rungraph;

import org.jspecify.annotations.NullMarked;
