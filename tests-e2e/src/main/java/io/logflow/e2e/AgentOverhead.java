package io.logflow.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./logflow bench --agent both}: every figure of the pass with the OpenTelemetry agent (as {@code ./logflow
 * up} runs the server) beside the same figure without it, as a ratio, against the target that the agent costs less
 * than 10 %: a throughput at least 90 % of agent off, a latency or CPU cost at most 110 %. Figures a pass did not
 * measure (a part skipped or failed) are left out.
 */
final class AgentOverhead {
    static final double TARGET = 0.10;

    /** A figure in a pass's results, by its path of keys ({@code traces.logflow.spans_per_s}). */
    record Figure(String label, String path, String unit, boolean higherIsBetter) {}

    /** One figure with the agent on and off. */
    record Row(Figure figure, double on, double off) {
        /** On over off: above 1 is more throughput, or a longer latency, with the agent. */
        double ratio() {
            return off == 0 ? (on == 0 ? 1 : Double.POSITIVE_INFINITY) : on / off;
        }

        boolean met() {
            return figure.higherIsBetter() ? ratio() >= 1 - TARGET : ratio() <= 1 + TARGET;
        }
    }

    private final List<Row> rows;

    private AgentOverhead(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    List<Row> rows() {
        return rows;
    }

    /** The figures compared; trace-by-id latency at concurrency 1 and {@code traceClients}. */
    static List<Figure> figures(int traceClients) {
        return figures(traceClients, 8);
    }

    /** As {@link #figures(int)}, with the search figures at concurrency 1 and {@code searchClients}. */
    static List<Figure> figures(int traceClients, int searchClients) {
        List<Figure> f = new ArrayList<>(List.of(
                new Figure("topology cold", "topology_logs_per_s", "logs/s", true),
                new Figure("topology warm", "topology_warm_logs_per_s", "logs/s", true),
                new Figure("server CPU per log, cold", "topology_cpu_us_per_log.server", "µs", false),
                new Figure("server CPU per log, warm", "topology_warm_cpu_us_per_log.server", "µs", false),
                new Figure("produce-to-visible p50", "visible_p50_ms", "ms", false),
                new Figure("produce-to-visible p99", "visible_p99_ms", "ms", false),
                new Figure("overview p50", "overview_p50_ms", "ms", false),
                new Figure("overview p99", "overview_p99_ms", "ms", false),
                new Figure("span ingest", "traces.logflow.spans_per_s", "spans/s", true),
                new Figure("server CPU per span", "traces.logflow.ingest_cpu_us_per_span.server", "µs", false)));
        for (int c : traceClients == 1 ? List.of(1) : List.of(1, traceClients)) {
            for (String p : List.of("p50", "p99")) {
                f.add(new Figure(
                        "trace by id " + p + " c=" + c,
                        "traces.logflow.lookups.concurrency_" + c + "." + p + "_ms",
                        "ms",
                        false));
            }
        }
        f.add(new Figure("alert p50", "alert_latency_p50_ms", "ms", false));
        f.add(new Figure("alert p99", "alert_latency_p99_ms", "ms", false));
        f.add(new Figure("search sink", "search.sink.logs_per_s", "logs/s", true));
        for (SearchBench.Query q : SearchBench.QUERIES) {
            for (int c : searchClients == 1 ? List.of(1) : List.of(1, searchClients)) {
                for (String p : List.of("p50", "p99")) {
                    f.add(new Figure(
                            "search " + q.name() + " " + p + " c=" + c,
                            "search.latency." + q.name() + ".concurrency_" + c + ".api." + p + "_ms",
                            "ms",
                            false));
                }
            }
        }
        return f;
    }

    static AgentOverhead compare(Map<String, Object> on, Map<String, Object> off, int traceClients) {
        return compare(on, off, traceClients, 8);
    }

    static AgentOverhead compare(Map<String, Object> on, Map<String, Object> off, int traceClients, int searchClients) {
        List<Row> rows = new ArrayList<>();
        for (Figure f : figures(traceClients, searchClients)) {
            Double a = number(on, f.path()), b = number(off, f.path());
            if (a != null && b != null) rows.add(new Row(f, a, b));
        }
        return new AgentOverhead(rows);
    }

    /** The number at a path of keys through nested maps, or null. */
    static Double number(Map<String, Object> results, String path) {
        Object at = results;
        for (String key : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> m)) return null;
            at = m.get(key);
        }
        return at instanceof Number n ? n.doubleValue() : null;
    }

    boolean met() {
        return !rows.isEmpty() && rows.stream().allMatch(Row::met);
    }

    /** One line per figure: {@code overview p99: agent on 12.10 ms, off 11.00 ms = 1.10 [within 10 %: met]}. */
    List<String> lines() {
        return rows.stream()
                .map(r -> String.format(
                        Locale.ROOT,
                        "%s: agent on %s %s, off %s %s = %.2f of agent off [within 10 %%: %s]",
                        r.figure().label(),
                        figure(r.on()),
                        r.figure().unit(),
                        figure(r.off()),
                        r.figure().unit(),
                        r.ratio(),
                        r.met() ? "met" : "MISSED"))
                .toList();
    }

    /**
     * {@code bench agent: on vs off, 1 instance | topology warm 0.97, … | 12 of 14 figures within 10 % [target within
     * 10 %: MISSED]}: every ratio, on over off.
     */
    String summary(int instances) {
        StringBuilder ratios = new StringBuilder();
        for (Row r : rows) {
            if (ratios.length() > 0) ratios.append(", ");
            ratios.append(String.format(Locale.ROOT, "%s %.2f", r.figure().label(), r.ratio()));
            if (!r.met()) ratios.append('!');
        }
        long within = rows.stream().filter(Row::met).count();
        return String.format(
                Locale.ROOT,
                "bench agent: on vs off, %d instance%s | agent on / agent off: %s | %d of %d figures within 10 %% "
                        + "(! = not) [target within 10 %%: %s]",
                instances,
                instances == 1 ? "" : "s",
                ratios.length() == 0 ? "nothing measured in both" : ratios,
                within,
                rows.size(),
                met() ? "met" : "MISSED");
    }

    /** For the JSON file: the target, whether it was met, and each figure. */
    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "target",
                "with the agent, every throughput >= 90 % and every latency and CPU cost <= 110 % of agent off");
        out.put("met", met());
        List<Map<String, Object>> figures = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("figure", r.figure().path());
            m.put("agent_on", r.on());
            m.put("agent_off", r.off());
            m.put("ratio", Double.isFinite(r.ratio()) ? Bench.round(r.ratio(), 3) : null);
            m.put("met", r.met());
            figures.add(m);
        }
        out.put("figures", figures);
        return out;
    }

    private static String figure(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
