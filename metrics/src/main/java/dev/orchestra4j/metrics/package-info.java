/**
 * Observability for Orchestra4j: {@link dev.orchestra4j.metrics.MetricsCollector} listens to a session's events and
 * records Micrometer meters (named in {@link dev.orchestra4j.metrics.MetricNames}) and optional observations;
 * {@link dev.orchestra4j.metrics.PrometheusEndpoint} serves them to Prometheus and
 * {@link dev.orchestra4j.metrics.ConsoleReporter} prints a human summary. Core never calls this package.
 */
@NullMarked
package dev.orchestra4j.metrics;

import org.jspecify.annotations.NullMarked;
