package io.logflow.e2e;

import io.logflow.model.Level;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * Synthetic but realistic traffic: request flows through a small microservice estate (gateway →
 * orders → inventory/payments → notifications ...), each request one trace id across 3+ services,
 * logged the way different shippers log (ECS, logrus/zap, Python, nested objects, OpenTelemetry
 * names), with DEBUG..FATAL levels, slow calls, retries and error bursts. Error messages carry ids
 * and numbers so that LogFlow's template grouping has something to group.
 *
 * <p>Not thread-safe: one generator per producing thread. Deterministic for a given seed and clock.
 */
final class TrafficGenerator {
    /** Services in the order they join as {@code --services} grows; the first three always form a flow. */
    static final List<String> SERVICE_NAMES = List.of(
            "gateway",
            "orders",
            "payments",
            "inventory",
            "notifications",
            "auth",
            "users",
            "catalog",
            "search",
            "shipping",
            "cart",
            "recommendations",
            "pricing",
            "reviews",
            "fraud",
            "ledger",
            "email",
            "analytics",
            "billing",
            "media");

    static final int MIN_SERVICES = 3;
    static final int MAX_SERVICES = SERVICE_NAMES.size();

    /** Named request flows; only those whose services all run are used, plus a random walk over the rest. */
    private static final List<List<String>> FLOWS = List.of(
            List.of("gateway", "orders", "payments", "notifications"),
            List.of("gateway", "orders", "inventory", "payments", "notifications"),
            List.of("gateway", "auth", "users", "notifications"),
            List.of("gateway", "cart", "pricing", "inventory"),
            List.of("gateway", "catalog", "search", "recommendations"),
            List.of("gateway", "orders", "fraud", "payments", "ledger", "email"),
            List.of("gateway", "orders", "shipping", "notifications", "email"),
            List.of("gateway", "reviews", "users", "media"),
            List.of("gateway", "billing", "ledger", "analytics"));

    /** How a service's log shipper shapes a log: field names, level spellings, time and trace-id formats. */
    enum Shape {
        ECS,
        LOGRUS,
        PYTHON,
        NESTED,
        OTEL
    }

    /** One log as generated, with what LogFlow should make of it. */
    record Log(String service, Level level, long timestamp, String traceId, String message, byte[] json) {}

    /** One request: its normalised trace id (32 lowercase hex) and its logs in time order. */
    record Request(String traceId, List<Log> logs, boolean failed) {
        List<String> services() {
            return logs.stream().map(Log::service).distinct().toList();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter SPACE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};

    private final List<String> services;
    private final List<List<String>> flows;
    private final double errorRatio;
    private final double baselineFailure;
    private final double burstFailure;
    private final SplittableRandom rnd;
    private long nextBurstCheck;
    private long burstUntil;
    private String burstService;

    /**
     * @param serviceCount how many services (3..20)
     * @param errorRatio the long-run fraction of requests that fail (0..1); failures cluster in bursts
     */
    TrafficGenerator(int serviceCount, double errorRatio, long seed) {
        if (serviceCount < MIN_SERVICES || serviceCount > MAX_SERVICES) {
            throw new IllegalArgumentException(
                    "services must be between " + MIN_SERVICES + " and " + MAX_SERVICES + ", got " + serviceCount);
        }
        if (!(errorRatio >= 0 && errorRatio <= 1))
            throw new IllegalArgumentException("error ratio must be within 0..1, got " + errorRatio);
        this.services = SERVICE_NAMES.subList(0, serviceCount);
        this.flows = FLOWS.stream().filter(services::containsAll).toList();
        this.errorRatio = errorRatio;
        // About 10% of the time one service is in an error burst, failing burstFailure of the requests
        // through it; the baseline makes up the rest of the ratio.
        this.burstFailure = Math.min(0.9, errorRatio * 5);
        this.baselineFailure = Math.max(0, Math.min(1, (errorRatio - 0.1 * burstFailure) / 0.9));
        this.rnd = new SplittableRandom(seed);
    }

    List<String> services() {
        return services;
    }

    double errorRatio() {
        return errorRatio;
    }

    /** The next request, starting at {@code startMillis}; its logs span a few ms to about two seconds. */
    Request next(long startMillis) {
        updateBurst(startMillis);
        List<String> chain = pickChain();
        String traceHex = hex(rnd.nextLong()) + hex(rnd.nextLong());
        String requestId = "req-" + hex(rnd.nextLong()).substring(0, 12);
        Entities e = new Entities(
                100_000 + rnd.nextInt(900_000),
                "u-" + (1000 + rnd.nextInt(90_000)),
                "SKU-" + (10_000 + rnd.nextInt(90_000)),
                REGIONS[rnd.nextInt(REGIONS.length)],
                requestId);

        int failAt = -1;
        boolean burstHit = burstService != null && startMillis < burstUntil && chain.contains(burstService);
        double p = burstHit ? burstFailure : baselineFailure;
        if (p > 0 && rnd.nextDouble() < p) {
            failAt = burstHit ? chain.indexOf(burstService) : 1 + rnd.nextInt(chain.size() - 1);
        }
        boolean fatal = failAt >= 0 && burstHit && rnd.nextDouble() < 0.03;

        List<Log> logs = new ArrayList<>();
        Clock clock = new Clock(startMillis);
        String method = METHODS[rnd.nextInt(METHODS.length)];
        String path = pathFor(chain.get(1), e);
        log(
                logs,
                clock,
                "gateway",
                Level.INFO,
                traceHex,
                e,
                method + " " + path + " from 10.0." + rnd.nextInt(256) + "." + rnd.nextInt(256) + " user " + e.user,
                Map.of("http.method", method, "url.path", path));

        int last = failAt >= 0 ? failAt : chain.size() - 1;
        for (int i = 1; i <= last; i++) {
            String svc = chain.get(i);
            if (rnd.nextInt(4) == 0) log(logs, clock, svc, Level.DEBUG, traceHex, e, debugMessage(svc, e), Map.of());
            if (i == failAt) {
                if (fatal)
                    log(
                            logs,
                            clock,
                            svc,
                            Level.FATAL,
                            traceHex,
                            e,
                            "worker " + rnd.nextInt(16) + " crashed: java.lang.OutOfMemoryError (heap "
                                    + (256 << rnd.nextInt(3)) + " MB)",
                            Map.of());
                else
                    log(
                            logs,
                            clock,
                            svc,
                            Level.ERROR,
                            traceHex,
                            e,
                            errorMessage(svc, e),
                            Map.of("error.type", errorType(svc)));
                break;
            }
            if (rnd.nextInt(12) == 0) {
                log(
                        logs,
                        clock,
                        svc,
                        Level.WARN,
                        traceHex,
                        e,
                        "retrying call to " + chain.get(Math.min(i + 1, chain.size() - 1)) + " (attempt 2/3) for order "
                                + e.order + " after " + (50 + rnd.nextInt(200)) + " ms",
                        Map.of());
            }
            int took = 2 + rnd.nextInt(rnd.nextInt(20) == 0 ? 1500 : 80);
            clock.now += took;
            if (took > 500)
                log(
                        logs,
                        clock,
                        svc,
                        Level.WARN,
                        traceHex,
                        e,
                        "slow " + svc + " query took " + took + " ms (threshold 500 ms) for order " + e.order,
                        Map.of("duration_ms", took));
            else log(logs, clock, svc, Level.INFO, traceHex, e, infoMessage(svc, e, took), Map.of("duration_ms", took));
        }
        if (failAt >= 0) {
            // the error travels back up the chain
            String failed = chain.get(failAt);
            for (int i = failAt - 1; i >= 1; i--) {
                log(
                        logs,
                        clock,
                        chain.get(i),
                        Level.WARN,
                        traceHex,
                        e,
                        "downstream " + failed + " returned 503 for order " + e.order + " after "
                                + (20 + rnd.nextInt(3000)) + " ms",
                        Map.of());
            }
            log(
                    logs,
                    clock,
                    "gateway",
                    Level.ERROR,
                    traceHex,
                    e,
                    "request " + requestId + " failed with status 502 after " + (clock.now - startMillis) + " ms",
                    Map.of("http.status_code", 502));
        } else {
            log(
                    logs,
                    clock,
                    "gateway",
                    Level.INFO,
                    traceHex,
                    e,
                    method + " " + path + " completed with status " + (method.equals("POST") ? 201 : 200) + " in "
                            + (clock.now - startMillis) + " ms",
                    Map.of("http.status_code", method.equals("POST") ? 201 : 200));
        }
        return new Request(traceHex, logs, failAt >= 0);
    }

    private void updateBurst(long now) {
        if (now < nextBurstCheck) return;
        nextBurstCheck = now + 1000;
        if (now >= burstUntil && errorRatio > 0 && rnd.nextInt(27) == 0) {
            burstService = services.get(1 + rnd.nextInt(services.size() - 1));
            burstUntil = now + 3000;
        }
    }

    private List<String> pickChain() {
        // two thirds named flows (when the estate has them), one third a random walk from the gateway,
        // so every service gets traffic
        if (!flows.isEmpty() && rnd.nextInt(3) != 0) return flows.get(rnd.nextInt(flows.size()));
        int hops = Math.min(services.size() - 1, 2 + rnd.nextInt(3));
        List<String> pool = new ArrayList<>(services.subList(1, services.size()));
        List<String> chain = new ArrayList<>();
        chain.add("gateway");
        for (int i = 0; i < hops; i++) chain.add(pool.remove(rnd.nextInt(pool.size())));
        return chain;
    }

    private record Entities(int order, String user, String sku, String region, String requestId) {}

    /** Strictly increasing timestamps inside one request, so its trace has one true order. */
    private final class Clock {
        long now;

        Clock(long start) {
            now = start - 1;
        }

        long tick() {
            now += 1 + rnd.nextInt(15);
            return now;
        }
    }

    private void log(
            List<Log> out,
            Clock clock,
            String service,
            Level level,
            String traceHex,
            Entities e,
            String message,
            Map<String, Object> extra) {
        long ts = clock.tick();
        Shape shape = Shape.values()[SERVICE_NAMES.indexOf(service) % Shape.values().length];
        String spanHex = hex(rnd.nextLong() | 1L);
        Map<String, Object> m = new LinkedHashMap<>();
        switch (shape) {
            case ECS -> { // Java ecs-logging: flat dotted ECS names
                m.put("@timestamp", Instant.ofEpochMilli(ts).toString());
                m.put("log.level", level.name());
                m.put("message", message);
                m.put("service.name", service);
                m.put("trace.id", traceHex);
                m.put("span.id", spanHex);
                m.put("http.request.id", e.requestId);
                m.put("process.thread.name", "reactor-http-epoll-" + (1 + rnd.nextInt(4)));
            }
            case LOGRUS -> { // Go logrus/zap: lowercase levels, "msg", RFC 3339 with offset
                m.put("time", Instant.ofEpochMilli(ts).atOffset(ZoneOffset.UTC).toString());
                m.put("level", level == Level.WARN ? "warning" : level.name().toLowerCase(Locale.ROOT));
                m.put("msg", message);
                m.put("service", service);
                m.put("trace_id", traceHex);
                m.put("span_id", spanHex);
                m.put("request_id", e.requestId);
                m.put("order_id", e.order);
            }
            case PYTHON -> { // Python logging + json formatter: epoch millis, severity names, UUID trace ids from
                // X-Trace-ID
                m.put("timestamp", ts);
                m.put(
                        "severity",
                        switch (level) {
                            case WARN -> "WARNING";
                            case FATAL -> "CRITICAL";
                            default -> level.name();
                        });
                m.put("message", message);
                m.put("service_name", service);
                m.put("traceId", uuid(traceHex));
                m.put("correlation_id", e.requestId);
                m.put("logger", service + ".handlers");
            }
            case NESTED -> { // nested objects, space-separated UTC time without zone, upper-case trace id
                m.put(
                        "timestamp",
                        LocalDateTime.ofInstant(Instant.ofEpochMilli(ts), ZoneOffset.UTC)
                                .format(SPACE_TIME));
                m.put(
                        "service",
                        Map.of("name", service, "version", "1." + (SERVICE_NAMES.indexOf(service) % 7) + ".3"));
                m.put(
                        "level",
                        level.name().charAt(0) + level.name().substring(1).toLowerCase(Locale.ROOT));
                m.put("message", message);
                m.put("trace_id", traceHex.toUpperCase(Locale.ROOT));
                m.put(
                        "host",
                        Map.of(
                                "name",
                                service + "-"
                                        + hex(SERVICE_NAMES.indexOf(service) * 7919L)
                                                .substring(10)));
            }
            case OTEL -> { // OpenTelemetry-ish names
                m.put("timestamp", Instant.ofEpochMilli(ts).toString());
                m.put("severity_text", level.name());
                m.put("message", message);
                m.put("service.name", service);
                m.put("traceId", traceHex);
                m.put("spanId", spanHex);
                m.put("request_id", e.requestId);
            }
        }
        m.put("region", e.region);
        m.putAll(extra);
        out.add(new Log(service, level, ts, traceHex, message, JSON.writeValueAsBytes(m)));
    }

    private String pathFor(String firstHop, Entities e) {
        return switch (firstHop) {
            case "orders" -> "/api/orders/" + e.order;
            case "auth" -> "/api/login";
            case "cart" -> "/api/cart/" + e.user;
            case "catalog" -> "/api/catalog/items/" + e.sku;
            case "reviews" -> "/api/reviews/" + e.sku;
            case "billing" -> "/api/invoices/" + e.order;
            default -> "/api/" + firstHop + "/" + e.order;
        };
    }

    private String debugMessage(String svc, Entities e) {
        return switch (rnd.nextInt(3)) {
            case 0 -> "cache " + (rnd.nextBoolean() ? "hit" : "miss") + " for key " + svc + ":" + e.order;
            case 1 ->
                "acquired connection " + rnd.nextInt(32) + " from pool " + svc + "-db (" + rnd.nextInt(32)
                        + "/32 in use)";
            default -> "validated payload for order " + e.order + " (" + (100 + rnd.nextInt(4000)) + " bytes)";
        };
    }

    private String infoMessage(String svc, Entities e, int took) {
        return switch (svc) {
            case "orders" -> "processed order " + e.order + " for user " + e.user + " in " + took + " ms";
            case "payments" ->
                "payment authorized for order " + e.order + " amount " + (5 + rnd.nextInt(500)) + "."
                        + (10 + rnd.nextInt(90)) + " EUR in " + took + " ms";
            case "inventory" ->
                "reserved " + (1 + rnd.nextInt(5)) + " x " + e.sku + " for order " + e.order + " in " + took + " ms";
            case "notifications", "email" ->
                "sent confirmation for order " + e.order + " to " + e.user + " in " + took + " ms";
            case "auth" -> "token issued for " + e.user + " (expires in 3600 s) in " + took + " ms";
            case "search", "catalog", "recommendations" ->
                "query for " + e.sku + " returned " + rnd.nextInt(50) + " results in " + took + " ms";
            default -> svc + " handled request " + e.requestId + " in " + took + " ms";
        };
    }

    private String errorMessage(String svc, Entities e) {
        int pick = rnd.nextInt(3);
        return switch (svc) {
            case "payments" ->
                switch (pick) {
                    case 0 ->
                        "card declined for order " + e.order + " (code " + (rnd.nextBoolean() ? "51" : "05") + ")";
                    case 1 -> "timeout after " + (25 + rnd.nextInt(10)) + "s calling bank gateway for order " + e.order;
                    default ->
                        "payment provider returned HTTP 503 for txn " + uuid(hex(rnd.nextLong()) + hex(rnd.nextLong()));
                };
            case "inventory" ->
                pick == 0
                        ? "deadlock detected updating stock row " + rnd.nextInt(1_000_000)
                        : "insufficient stock for sku " + e.sku + " (requested " + (1 + rnd.nextInt(5))
                                + ", available 0)";
            case "orders" ->
                pick == 0
                        ? "optimistic lock conflict on order " + e.order + " version " + rnd.nextInt(20)
                        : "failed to persist order " + e.order + ": connection refused to 10.0." + rnd.nextInt(8) + "."
                                + rnd.nextInt(256) + ":5432";
            default ->
                switch (pick) {
                    case 0 -> "upstream timeout after " + (1000 + rnd.nextInt(9000)) + " ms for request " + e.requestId;
                    case 1 -> "connection pool exhausted (" + 32 + "/32 in use, " + rnd.nextInt(200) + " waiting)";
                    default ->
                        "NullPointerException in " + Character.toUpperCase(svc.charAt(0)) + svc.substring(1)
                                + "Handler.handle at line " + (40 + rnd.nextInt(400));
                };
        };
    }

    private static String errorType(String svc) {
        return switch (svc) {
            case "payments" -> "PaymentException";
            case "inventory" -> "StockException";
            default -> "ServiceException";
        };
    }

    static String hex(long v) {
        String s = Long.toHexString(v);
        return "0".repeat(16 - s.length()) + s;
    }

    /** 32 hex as a dashed UUID, as X-Trace-ID headers carry it. */
    static String uuid(String hex32) {
        return hex32.substring(0, 8)
                + '-'
                + hex32.substring(8, 12)
                + '-'
                + hex32.substring(12, 16)
                + '-'
                + hex32.substring(16, 20)
                + '-'
                + hex32.substring(20);
    }
}
