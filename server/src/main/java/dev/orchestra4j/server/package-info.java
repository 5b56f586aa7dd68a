/**
 * Orchestra4j's HTTP server: {@link dev.orchestra4j.server.OrchestraServer} serves native sessions of registered
 * topologies, AI Orchestra-compatible run-graph workflows and Symphony Stage-compatible pipelines over REST and
 * Server-Sent Events, with a web console, Prometheus metrics and an OpenAPI document. {@link
 * dev.orchestra4j.server.ServerMain} is the runnable jar's entry point. Everything else lives in {@code
 * dev.orchestra4j.server.internal}.
 */
@NullMarked
package dev.orchestra4j.server;

import org.jspecify.annotations.NullMarked;
