package dev.orchestra4j.metrics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.orchestra4j.metrics.internal.ScrapeHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal HTTP server that serves a collector's meters at {@code GET /metrics} in the Prometheus text exposition
 * format (version 0.0.4). {@code HEAD} is answered too; other methods get 405, other paths 404. Requests are handled on
 * virtual threads. Binds to the loopback address unless given another; {@link #close()} stops it at once.
 *
 * <pre>{@code
 * try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(0, MetricsCollector.prometheus())) {
 *     System.out.println("scrape " + endpoint.url());
 * }
 * }</pre>
 */
public final class PrometheusEndpoint implements AutoCloseable {

    /** The path served. */
    public static final String PATH = "/metrics";
    /** The Content-Type of a scrape. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code collector} on 127.0.0.1 at {@code port} (0 picks a free port). */
    public static PrometheusEndpoint start(int port, MetricsCollector collector) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), collector);
    }

    /**
     * Serves {@code collector} at {@code address}. The collector's registry must be a {@code PrometheusMeterRegistry}
     * (or a composite holding one), as from {@link MetricsCollector#prometheus()}.
     *
     * @throws IllegalArgumentException if the registry cannot render the Prometheus format
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static PrometheusEndpoint start(InetSocketAddress address, MetricsCollector collector) {
        requireNonNull(address, "address");
        PrometheusMeterRegistry registry = prometheusRegistry(collector.registry())
                .orElseThrow(() -> new IllegalArgumentException("PrometheusEndpoint needs a collector backed by a"
                        + " PrometheusMeterRegistry, was '"
                        + collector.registry().getClass().getSimpleName()
                        + "'; use MetricsCollector.prometheus()"));
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpServer server = HttpServer.create(address, 0);
            server.createContext("/", new ScrapeHandler(PATH, CONTENT_TYPE, registry));
            server.setExecutor(executor);
            server.start();
            return new PrometheusEndpoint(server, executor);
        } catch (IOException e) {
            executor.close();
            throw new UncheckedIOException("Cannot serve metrics at '" + address + "'", e);
        }
    }

    /** The port bound (the free one chosen when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL to scrape, e.g. {@code http://127.0.0.1:9464/metrics}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        try {
            return new URI("http", null, address.getAddress().getHostAddress(), address.getPort(), PATH, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot form the metrics URL for '" + address + "'", e);
        }
    }

    /** Stops serving at once: open exchanges are closed, and the handler threads are awaited. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private static Optional<PrometheusMeterRegistry> prometheusRegistry(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return Optional.of(prometheus);
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            return composite.getRegistries().stream()
                    .map(PrometheusEndpoint::prometheusRegistry)
                    .flatMap(Optional::stream)
                    .findFirst();
        }
        return Optional.empty();
    }
}
