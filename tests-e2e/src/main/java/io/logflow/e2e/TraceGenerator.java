package io.logflow.e2e;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic traces for the trace benchmark, made up front and held in memory: a web shop's
 * request flows across ten services (frontend → gateway → catalog, cart, checkout → payments,
 * shipping, inventory, users, and a Kafka hand-off to notifications), about ten spans per trace.
 *
 * <ul>
 *   <li>every remote call is a CLIENT span in the caller whose child is the callee's SERVER span
 *       (PRODUCER → CONSUMER for the message); database and cache calls are CLIENT spans without a
 *       callee; some INTERNAL spans;
 *   <li>OpenTelemetry semantic-convention attributes: {@code http.request.method}, {@code
 *       http.route}, {@code url.path}, {@code http.response.status_code}, {@code server.address},
 *       {@code db.system.name}, {@code messaging.system} …;
 *   <li>errors: payments, inventory and the catalog database fail now and then; a failure marks the
 *       callee's and the caller's spans as errors (status ERROR, a 5xx code) and travels up the
 *       chain unless the caller has a fallback (inventory, users);
 *   <li>times: children inside their parents, network delays between CLIENT and SERVER, log-normal
 *       work times; spans of a trace are listed in the order they end, as an SDK exports them.
 * </ul>
 *
 * Deterministic for a seed. Not thread-safe.
 */
final class TraceGenerator {
    static final List<String> SERVICES = List.of(
            "frontend",
            "gateway",
            "catalog",
            "cart",
            "checkout",
            "payments",
            "shipping",
            "inventory",
            "users",
            "notifications");

    enum Kind {
        INTERNAL,
        SERVER,
        CLIENT,
        PRODUCER,
        CONSUMER
    }

    /**
     * One span.
     *
     * @param traceId 16 bytes
     * @param spanId 8 bytes
     * @param parentId 8 bytes, or null for a root
     * @param remoteService the callee of a CLIENT or PRODUCER span (a service, or a database), or null
     * @param scope the instrumentation scope that would have made it
     * @param statusMessage set when {@code error}
     */
    record Span(
            byte[] traceId,
            byte[] spanId,
            byte[] parentId,
            String service,
            String name,
            Kind kind,
            long startNanos,
            long endNanos,
            boolean error,
            String statusMessage,
            Map<String, String> attributes,
            String remoteService,
            String scope) {
        Span {
            requireNonNull(traceId, "traceId");
            requireNonNull(spanId, "spanId");
            requireNonNull(service, "service");
            requireNonNull(name, "name");
            requireNonNull(kind, "kind");
            requireNonNull(attributes, "attributes");
            requireNonNull(scope, "scope");
        }

        String traceIdHex() {
            return HEX.formatHex(traceId);
        }

        String spanIdHex() {
            return HEX.formatHex(spanId);
        }

        String parentIdHex() {
            return parentId == null ? null : HEX.formatHex(parentId);
        }
    }

    /** One trace: its spans in the order they end. */
    record Trace(String traceId, List<Span> spans) {}

    static final HexFormat HEX = HexFormat.of();
    private static final String HTTP_SERVER = "io.opentelemetry.netty-4.1";
    private static final String HTTP_CLIENT = "io.opentelemetry.java-http-client";
    private static final String JDBC = "io.opentelemetry.jdbc";
    private static final String REDIS = "io.opentelemetry.lettuce-5.1";
    private static final String KAFKA = "io.opentelemetry.kafka-clients-0.11";
    private static final String MANUAL = "shop.checkout";

    private final SplittableRandom random;
    private List<Span> out;
    private byte[] traceId;

    TraceGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One trace whose root starts at {@code startNanos}. */
    Trace next(long startNanos) {
        traceId = new byte[16];
        nonZero(traceId);
        out = new ArrayList<>(16);
        double r = random.nextDouble();
        if (r < 0.50) productPage(startNanos);
        else if (r < 0.75) cartPage(startNanos);
        else if (r < 0.95) checkout(startNanos);
        else health(startNanos);
        List<Span> spans = out;
        spans.sort(Comparator.comparingLong(Span::endNanos).thenComparingLong(Span::startNanos));
        return new Trace(HEX.formatHex(traceId), List.copyOf(spans));
    }

    // ---- request flows --------------------------------------------------------------------------

    /** frontend GET /product/{id} → gateway → catalog (+ database), inventory (fallback), users (fallback). */
    private void productPage(long t) {
        String product = "p-" + random.nextInt(1, 5000);
        server(null, t, "frontend", "GET", "/product/{id}", "/product/" + product, 2.0, (span, at) -> {
            long end = call(
                    span, at, "gateway", "GET", "/api/products/{id}", "/api/products/" + product, 0.5, (gw, at2) -> {
                        long e = call(
                                gw,
                                at2,
                                "catalog",
                                "GET",
                                "/products/{id}",
                                "/products/" + product,
                                1.0,
                                (cat, at3) -> db(cat, at3, "catalog", "postgresql", "SELECT", "products", 0.01, 2.5));
                        long afterCatalog = e;
                        if (random.nextDouble() < 0.8)
                            e = optional(() -> call(
                                    gw,
                                    afterCatalog,
                                    "inventory",
                                    "GET",
                                    "/stock/{sku}",
                                    "/stock/" + product,
                                    0.8,
                                    null,
                                    fail(0.02, 503, "stock service overloaded")));
                        long afterStock = e;
                        if (random.nextDouble() < 0.5)
                            e = optional(() -> call(
                                    gw,
                                    afterStock,
                                    "users",
                                    "GET",
                                    "/users/{id}",
                                    "/users/u-" + random.nextInt(1, 100_000),
                                    0.6,
                                    null));
                        return e;
                    });
            return end;
        });
    }

    /** frontend GET /cart → gateway → cart (+ redis) → catalog per item (+ database). */
    private void cartPage(long t) {
        String user = "u-" + random.nextInt(1, 100_000);
        server(
                null,
                t,
                "frontend",
                "GET",
                "/cart",
                "/cart",
                1.5,
                (span, at) -> call(
                        span,
                        at,
                        "gateway",
                        "GET",
                        "/api/cart",
                        "/api/cart",
                        0.4,
                        (gw, at2) ->
                                call(gw, at2, "cart", "GET", "/cart/{userId}", "/cart/" + user, 0.5, (cart, at3) -> {
                                    long e = db(cart, at3, "cart", "redis", "HGETALL", "cart:" + user, 0, 0.3);
                                    int items = random.nextInt(1, 4);
                                    for (int i = 0; i < items; i++) {
                                        String product = "p-" + random.nextInt(1, 5000);
                                        e = call(
                                                cart,
                                                e,
                                                "catalog",
                                                "GET",
                                                "/products/{id}",
                                                "/products/" + product,
                                                0.8,
                                                (cat, at4) -> db(
                                                        cat,
                                                        at4,
                                                        "catalog",
                                                        "postgresql",
                                                        "SELECT",
                                                        "products",
                                                        0.01,
                                                        2.0));
                                    }
                                    return e;
                                })));
    }

    /**
     * frontend POST /checkout → gateway → checkout → cart, tax (internal), payments (+ database), shipping, an order
     * event to notifications.
     */
    private void checkout(long t) {
        String user = "u-" + random.nextInt(1, 100_000);
        server(
                null,
                t,
                "frontend",
                "POST",
                "/checkout",
                "/checkout",
                2.0,
                (span, at) -> call(
                        span,
                        at,
                        "gateway",
                        "POST",
                        "/api/checkout",
                        "/api/checkout",
                        0.5,
                        (gw, at2) -> call(gw, at2, "checkout", "POST", "/checkout", "/checkout", 1.0, (co, at3) -> {
                            long e = call(co, at3, "cart", "GET", "/cart/{userId}", "/cart/" + user, 0.5, null);
                            e = internal(co, e, "checkout", "compute-tax", 0.7);
                            e = call(
                                    co,
                                    e,
                                    "payments",
                                    "POST",
                                    "/payments",
                                    "/payments",
                                    3.0,
                                    (pay, at4) -> db(pay, at4, "payments", "postgresql", "INSERT", "payments", 0, 1.5),
                                    fail(0.05, 502, "card processor timeout"));
                            e = call(co, e, "shipping", "POST", "/shipments", "/shipments", 1.2, null);
                            return publish(co, e, "orders", "notifications");
                        })));
    }

    /** gateway GET /health: a one-span trace, as health checks make. */
    private void health(long t) {
        server(null, t, "gateway", "GET", "/health", "/health", 0.1, null);
    }

    // ---- building blocks --------------------------------------------------------------------------

    /** What a server does between its start and end; returns when its work ends. */
    @FunctionalInterface
    private interface Work {
        long run(Span self, long at);
    }

    /** Decides whether a server fails: null when it does not. */
    @FunctionalInterface
    private interface Failure {
        Outcome draw();
    }

    private record Outcome(int status, String message) {}

    /** Whether a call of the server span being built failed (and the failure travels up). */
    private boolean scopeFailed;
    /** Whether the SERVER span built last failed. */
    private boolean lastServerFailed;

    private Failure fail(double p, int status, String message) {
        return () -> random.nextDouble() < p ? new Outcome(status, message) : null;
    }

    /** A call whose failure the caller survives (it serves without it): the failure does not travel up. */
    private long optional(java.util.function.LongSupplier call) {
        boolean before = scopeFailed;
        long end = call.getAsLong();
        scopeFailed = before;
        return end;
    }

    /** A SERVER span; children run in {@code work}; returns its end. Sets {@link #lastServerFailed}. */
    private long server(
            Span parent,
            long start,
            String service,
            String method,
            String route,
            String path,
            double workMs,
            Work work) {
        return server(parent, start, service, method, route, path, workMs, work, null);
    }

    private long server(
            Span parent,
            long start,
            String service,
            String method,
            String route,
            String path,
            double workMs,
            Work work,
            Failure failure) {
        byte[] id = spanId();
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("http.request.method", method);
        attrs.put("http.route", route);
        attrs.put("url.path", path);
        attrs.put("url.scheme", "http");
        attrs.put("network.protocol.version", "1.1");
        if (service.equals("frontend"))
            attrs.put("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0");
        Span self = new Span(
                traceId,
                id,
                parent == null ? null : parent.spanId(),
                service,
                method + " " + route,
                Kind.SERVER,
                start,
                0,
                false,
                null,
                Map.of(),
                null,
                HTTP_SERVER);
        long at = start + workNanos(workMs * 0.3);
        boolean outer = scopeFailed;
        scopeFailed = false;
        if (work != null) at = work.run(self, at);
        boolean childFailed = scopeFailed;
        scopeFailed = outer;
        Outcome own = failure == null ? null : failure.draw();
        long end = at + workNanos(workMs * 0.7);
        int status = own != null
                ? own.status()
                : childFailed ? (service.equals("gateway") ? 502 : 500) : (method.equals("POST") ? 201 : 200);
        boolean error = status >= 500;
        attrs.put("http.response.status_code", Integer.toString(status));
        if (error) attrs.put("error.type", Integer.toString(status));
        out.add(new Span(
                traceId,
                id,
                self.parentId(),
                service,
                self.name(),
                Kind.SERVER,
                start,
                end,
                error,
                error ? (own != null ? own.message() : "downstream call failed") : null,
                attrs,
                null,
                HTTP_SERVER));
        lastServerFailed = error;
        return end;
    }

    /** A CLIENT span in the caller and the callee's SERVER span under it; returns the client's end. */
    private long call(
            Span caller,
            long start,
            String callee,
            String method,
            String route,
            String path,
            double workMs,
            Work work) {
        return call(caller, start, callee, method, route, path, workMs, work, null);
    }

    private long call(
            Span caller,
            long start,
            String callee,
            String method,
            String route,
            String path,
            double workMs,
            Work work,
            Failure failure) {
        byte[] id = spanId();
        Span client = new Span(
                traceId,
                id,
                caller.spanId(),
                caller.service(),
                method,
                Kind.CLIENT,
                start,
                0,
                false,
                null,
                Map.of(),
                callee,
                HTTP_CLIENT);
        long serverEnd = server(client, start + networkNanos(), callee, method, route, path, workMs, work, failure);
        boolean failed = lastServerFailed;
        long end = serverEnd + networkNanos();
        int status = failed ? 500 : (method.equals("POST") ? 201 : 200);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("http.request.method", method);
        attrs.put("url.full", "http://" + callee + ":8080" + path);
        attrs.put("server.address", callee);
        attrs.put("server.port", "8080");
        attrs.put("http.response.status_code", Integer.toString(status));
        if (failed) attrs.put("error.type", Integer.toString(status));
        out.add(new Span(
                traceId,
                id,
                caller.spanId(),
                caller.service(),
                method,
                Kind.CLIENT,
                start,
                end,
                failed,
                failed ? "HTTP " + status + " from " + callee : null,
                attrs,
                callee,
                HTTP_CLIENT));
        if (failed) scopeFailed = true;
        return end;
    }

    /** A database or cache call (CLIENT, no callee service); fails with probability {@code p}. */
    private long db(
            Span caller,
            long start,
            String service,
            String system,
            String operation,
            String collection,
            double p,
            double ms) {
        long end = start + workNanos(ms);
        boolean failed = random.nextDouble() < p;
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("db.system.name", system);
        attrs.put("db.operation.name", operation);
        attrs.put("db.collection.name", collection);
        attrs.put("server.address", system.equals("redis") ? "cache" : service + "-db");
        if (system.equals("postgresql"))
            attrs.put(
                    "db.query.text",
                    operation.equals("SELECT")
                            ? "SELECT * FROM " + collection + " WHERE id = ?"
                            : "INSERT INTO " + collection + " VALUES (?, ?, ?)");
        if (failed) attrs.put("error.type", "java.sql.SQLTransientConnectionException");
        out.add(new Span(
                traceId,
                spanId(),
                caller.spanId(),
                service,
                system.equals("redis") ? operation : operation + " " + collection,
                Kind.CLIENT,
                start,
                end,
                failed,
                failed ? "connection is not available, request timed out after 30000ms" : null,
                attrs,
                system,
                system.equals("redis") ? REDIS : JDBC));
        if (failed) scopeFailed = true;
        return end;
    }

    private long internal(Span caller, long start, String service, String name, double ms) {
        long end = start + workNanos(ms);
        out.add(new Span(
                traceId,
                spanId(),
                caller.spanId(),
                service,
                name,
                Kind.INTERNAL,
                start,
                end,
                false,
                null,
                Map.of("code.function.name", "io.shop.checkout.Tax.compute"),
                null,
                MANUAL));
        return end;
    }

    /** A PRODUCER span and, under it, the consumer's CONSUMER span, which starts later and calls nothing back. */
    private long publish(Span caller, long start, String topic, String consumer) {
        byte[] id = spanId();
        long end = start + workNanos(0.8);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("messaging.system", "kafka");
        attrs.put("messaging.operation.type", "send");
        attrs.put("messaging.destination.name", topic);
        out.add(new Span(
                traceId,
                id,
                caller.spanId(),
                caller.service(),
                topic + " publish",
                Kind.PRODUCER,
                start,
                end,
                false,
                null,
                attrs,
                "kafka",
                KAFKA));
        long cStart = end + workNanos(4);
        Map<String, String> cAttrs = new LinkedHashMap<>();
        cAttrs.put("messaging.system", "kafka");
        cAttrs.put("messaging.operation.type", "process");
        cAttrs.put("messaging.destination.name", topic);
        cAttrs.put("messaging.consumer.group.name", consumer);
        out.add(new Span(
                traceId,
                spanId(),
                id,
                consumer,
                topic + " process",
                Kind.CONSUMER,
                cStart,
                cStart + workNanos(2.5),
                false,
                null,
                cAttrs,
                null,
                KAFKA));
        return end;
    }

    private long workNanos(double meanMs) {
        // log-normal around the mean, heavy right tail as real latencies have
        double ms = meanMs * Math.exp(0.6 * random.nextGaussian() - 0.18);
        return Math.max(1_000, (long) (ms * 1_000_000));
    }

    private long networkNanos() {
        return 150_000 + random.nextLong(350_000);
    }

    private byte[] spanId() {
        byte[] id = new byte[8];
        nonZero(id);
        return id;
    }

    private void nonZero(byte[] id) {
        do {
            for (int i = 0; i < id.length; i++) id[i] = (byte) random.nextInt(256);
        } while (allZero(id));
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
