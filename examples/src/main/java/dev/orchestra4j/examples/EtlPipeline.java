package dev.orchestra4j.examples;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.Input;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A data pipeline with a local fork, on plain Java agents. {@code Extract} parses CSV into rows; {@code Transform}
 * forks two cleaners that work on different columns at the same time and joins their results; {@code Load} writes the
 * joined rows to a (here in-memory) warehouse.
 *
 * <pre>
 * Start -> Extract -> Transform -> Load -> End
 * Transform <-> CleanA   (names and e-mails)
 * Transform <-> CleanB   (country codes)
 * </pre>
 *
 * <p>The fork is local to the Transform stage: both cleaners {@code finish}, which returns their result to Transform
 * (the fork's parent), not to the run. A cleaner that fails fails the fork under the default {@code STRICT} policy,
 * so nothing half-cleaned is ever loaded.
 */
public final class EtlPipeline {

    /** Three customers, two of them messy. */
    public static final String SAMPLE_CSV = """
            id,name,email,country
            1,  ada lovelace ,ADA@Example.org,united kingdom
            2,Grace Hopper,grace@example.com ,US
            3,linus torvalds,Linus@Example.fi,finland
            """;

    /** A cleaned customer row. */
    public record Row(int id, String name, String email, String country) {}

    private static final Map<String, String> COUNTRIES =
            Map.of("united kingdom", "GB", "gb", "GB", "us", "US", "united states", "US", "finland", "FI", "fi", "FI");

    private EtlPipeline() {}

    public static Topology topology() {
        return Topology.builder()
                .edge("Start -> Extract")
                .edge("Extract -> Transform")
                .edge("Transform <-> CleanA")
                .edge("Transform <-> CleanB")
                .edge("Transform -> Load")
                .edge("Load -> End")
                .build();
    }

    /** The pipeline's agents; {@code Load} appends to {@code warehouse}. */
    public static AgentRegistry agents(List<Row> warehouse) {
        return AgentRegistry.create()
                .register("Extract", request -> AgentResponse.handOff("Transform", parse(request.inputText())))
                .register("Transform", EtlPipeline::transform)
                .register("CleanA", request -> AgentResponse.finish(cleanNames(rows(request.input()))))
                .register("CleanB", EtlPipeline::cleanCountries)
                .register("Load", request -> {
                    List<Row> rows = rows(request.input());
                    warehouse.addAll(rows);
                    return AgentResponse.finish("loaded " + rows.size() + " rows into customers");
                });
    }

    /** Runs the pipeline on {@code csv}, loading into {@code warehouse}. */
    public static OrchestraResult run(String csv, List<Row> warehouse, RunOptions.Builder options) {
        return Orchestra.run(csv, topology(), options.agents(agents(warehouse)).build());
    }

    /** First visit: fork the cleaners on the same rows. After the join: merge their columns and pass to Load. */
    private static AgentResponse transform(AgentRequest request) {
        if (!(request.received() instanceof Input.Joined join)) {
            return AgentResponse.parallel(
                    Invocation.of("CleanA", request.input()), Invocation.of("CleanB", request.input()));
        }
        List<Arrival> cleaned = join.arrivals();
        List<Row> names = rows(cleaned.get(0).value());
        Map<?, ?> countries = (Map<?, ?>) cleaned.get(1).value();
        List<Row> joined = new ArrayList<>();
        for (Row row : names) {
            joined.add(new Row(row.id(), row.name(), row.email(), String.valueOf(countries.get(row.id()))));
        }
        return AgentResponse.handOff("Load", joined);
    }

    private static List<Row> parse(String csv) {
        List<Row> rows = new ArrayList<>();
        for (String line : csv.strip().lines().skip(1).toList()) {
            String[] cells = line.split(",", -1);
            if (cells.length != 4) {
                throw new IllegalArgumentException("expected 4 columns, found " + cells.length + " in: " + line);
            }
            rows.add(new Row(Integer.parseInt(cells[0].strip()), cells[1], cells[2], cells[3]));
        }
        return rows;
    }

    private static List<Row> cleanNames(List<Row> rows) {
        return rows.stream()
                .map(r -> new Row(
                        r.id(), titleCase(r.name().strip()), r.email().strip().toLowerCase(Locale.ROOT), ""))
                .toList();
    }

    private static AgentResponse cleanCountries(AgentRequest request) {
        Map<Integer, String> codes = new LinkedHashMap<>();
        for (Row row : rows(request.input())) {
            String code = COUNTRIES.get(row.country().strip().toLowerCase(Locale.ROOT));
            if (code == null) {
                return AgentResponse.fail("row " + row.id() + ": unknown country '"
                        + row.country().strip() + "'");
            }
            codes.put(row.id(), code);
        }
        return AgentResponse.finish(codes);
    }

    private static String titleCase(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("\\s+")) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Row> rows(Object value) {
        return (List<Row>) value;
    }
}
