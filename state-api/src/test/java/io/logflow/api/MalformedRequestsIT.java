package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalElasticsearch;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;

/**
 * Every route of the running server, found by walking its {@link RouterFunction} (so a new route is
 * covered without touching this test), sent malformed path variables, query parameters, bodies and
 * headers: each must be answered below 500 — a clear 4xx, never a server error.
 */
class MalformedRequestsIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Path variables: not an id, a NUL, a traversal, a very long one, a percent that decodes to nothing. */
    static final List<String> PATH_VALUES =
            List.of("x", "%00", "..%2F..%2Fetc", "a".repeat(5000), "%ZZ", "%C3%28", "-1", "%20");

    /** Every query parameter the API reads, and values none of them accept. */
    static final List<String> PARAMS = List.of(
            "minutes",
            "service",
            "level",
            "limit",
            "trace_id",
            "from",
            "to",
            "interval",
            "operation",
            "minDurationMs",
            "maxDurationMs",
            "error",
            "tag",
            "store",
            "bucket",
            "last_event_id",
            "tags",
            "minDurationNanos",
            "maxDurationNanos",
            "q",
            "cursor",
            "sort",
            "before",
            "after");

    static final List<String> PARAM_VALUES = List.of(
            "",
            "-1",
            "abc",
            "99999999999999999999",
            "1e309",
            "NaN",
            "2026-13-45T99:99:99Z",
            "\u0000",
            "x".repeat(3000),
            "'; drop table alert_rules; --",
            ":",
            "{",
            "0:-5,1:x",
            "service:x AND (",
            "*x",
            "\"unterminated",
            "a:[1 TO",
            "eyJ2IjoxfQ",
            "/regex[/");

    static final Map<String, byte[]> BODIES = bodies();

    static Instance app;
    static LocalElasticsearch elasticsearch;
    static final List<Route> routes = new ArrayList<>();
    static final Map<Integer, Integer> statuses = new TreeMap<>();
    static final List<String> serverErrors = new ArrayList<>();
    static int sent;

    record Route(Set<HttpMethod> methods, String pattern) {}

    @BeforeAll
    static void start() {
        // a real, empty Elasticsearch: search parses and answers (what a fresh install sees before its first log)
        elasticsearch = LocalElasticsearch.startTemporary();
        app = Instance.start("fuzz-it-" + SUFFIX, Map.of("logflow.search.url", elasticsearch.url()))
                .awaitHealthy();
        app.bean(RouterFunction.class).accept(new RouterFunctions.Visitor() {
            @Override
            public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
                Route[] found = {new Route(Set.of(), null)};
                predicate.accept(new PredicateVisitor(found));
                if (found[0].pattern() != null) routes.add(found[0]);
            }

            @Override
            public void startNested(RequestPredicate predicate) {}

            @Override
            public void endNested(RequestPredicate predicate) {}

            @Override
            public void resources(
                    Function<
                                    org.springframework.web.reactive.function.server.ServerRequest,
                                    reactor.core.publisher.Mono<org.springframework.core.io.Resource>>
                            f) {}

            @Override
            public void attributes(Map<String, Object> attributes) {}

            @Override
            public void unknown(RouterFunction<?> routerFunction) {}
        });
    }

    @AfterAll
    static void stop() {
        System.out.printf(
                "malformed requests: %d routes, %d requests, statuses %s, server errors %d%n",
                routes.size(), sent, statuses, serverErrors.size());
        if (app != null) app.close();
        if (elasticsearch != null) elasticsearch.close();
    }

    @Test
    void everyRoute_answersMalformedInputBelow500() {
        assertThat(routes).as("routes found in the router").hasSizeGreaterThan(20);
        for (Route r : routes) {
            for (HttpMethod m : r.methods()) {
                List<String> paths = paths(r.pattern());
                for (int i = 0; i < paths.size(); i++) {
                    String path = paths.get(i);
                    // every malformed parameter on the first variant of a path, none on the others
                    for (String query : i == 0 || path.startsWith("/internal/") ? queries() : List.of("")) {
                        send(m, path + query, null, null);
                    }
                    // every path here is below the 16 KiB request-line limit (beyond it the server answers 414 and
                    // closes before reading the rest, and a client may see the reset instead of the answer)
                    if (m == HttpMethod.POST || m == HttpMethod.PUT) {
                        BODIES.forEach((contentType, body) -> send(m, path, contentType, body));
                    }
                }
            }
        }
        // headers every route reads: resume positions and trace context
        for (String v : List.of("garbage", "0:1,1", "9999999999999999999:1", "0:-1", "x".repeat(2000))) {
            sendWithHeader("/api/v1/stream/logs", "Last-Event-ID", v);
            sendWithHeader("/api/v1/stream/alerts", "Last-Event-ID", v);
        }
        for (String v : List.of("00-zz-zz-01", "garbage", "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01")) {
            sendWithHeader("/api/v1/services", "traceparent", v);
        }
        sendWithHeader("/api/v1/services", "X-Request-ID", "r".repeat(5000));
        assertThat(serverErrors).as("answers of 500 or above").isEmpty();
        assertThat(sent).isGreaterThan(500);
    }

    /** The pattern with its variables filled with malformed values (one path per value). */
    static List<String> paths(String pattern) {
        if (!pattern.contains("{")) return List.of(pattern);
        List<String> out = new ArrayList<>();
        for (String v : PATH_VALUES) out.add(pattern.replaceAll("\\{[^}]+}", Matcher.quoteReplacement(v)));
        // the internal views by name, with malformed parameters (below)
        if (pattern.startsWith("/internal/v1/")) {
            for (String view : List.of(
                    "services", "stats", "series", "recent", "trace", "spans", "traces", "span-metrics", "nope")) {
                out.add("/internal/v1/" + view);
            }
        }
        return out;
    }

    static List<String> queries() {
        List<String> out = new ArrayList<>();
        out.add("");
        for (String p : PARAMS) {
            for (String v : PARAM_VALUES) out.add("?" + p + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        out.add("?" + String.join("&", PARAMS.stream().map(p -> p + "=%ZZ").toList()));
        return out;
    }

    static Map<String, byte[]> bodies() {
        Map<String, byte[]> b = new TreeMap<>();
        b.put("application/json", "{\"a\":".getBytes(StandardCharsets.UTF_8));
        b.put("application/json; charset=utf-8", "[".repeat(20_000).getBytes(StandardCharsets.UTF_8));
        b.put("application/x-ndjson", "{}\nnot json\n[1,2]\nnull\n".getBytes(StandardCharsets.UTF_8));
        b.put("application/x-protobuf", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0a, 0x7f, 0x01});
        b.put("text/plain", new byte[] {(byte) 0xc3, 0x28, 0x00, (byte) 0xfe});
        b.put("application/octet-stream", new byte[0]);
        b.put("application/xml", "<rule/>".getBytes(StandardCharsets.UTF_8));
        return b;
    }

    static void send(HttpMethod method, String path, String contentType, byte[] body) {
        URI uri;
        try {
            uri = URI.create(app.base + path);
        } catch (IllegalArgumentException notAUri) { // e.g. a malformed %-escape: the JDK client will not send it
            recordRaw(method + " " + path, method.name(), path, contentType, body);
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (contentType != null) b.header("Content-Type", contentType);
        // past the gate, to the handlers this test is about: as the admin, or with an ingest token
        b.header("Authorization", authorization(method, path));
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        record(method + " " + path, b.method(method.name(), publisher).build());
    }

    static String authorization(HttpMethod method, String path) {
        int q = path.indexOf('?');
        boolean ingest = io.logflow.api.auth.Access.of(method, q < 0 ? path : path.substring(0, q))
                == io.logflow.api.auth.Access.INGEST;
        return ingest ? "Bearer " + app.ingestToken() : app.bearer();
    }

    /** Sends the request line as given over a plain socket and reads the status line. */
    static void recordRaw(String what, String method, String target, String contentType, byte[] body) {
        int status;
        try (Socket socket = new Socket("127.0.0.1", app.port)) {
            socket.setSoTimeout(30_000);
            byte[] content = body == null ? new byte[0] : body;
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: " + app.bearer() + "\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + content.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (Exception e) {
            status = 599;
        }
        count(what, status);
    }

    static void sendWithHeader(String path, String header, String value) {
        record(
                "GET " + path + " " + header,
                HttpRequest.newBuilder(URI.create(app.base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", app.bearer())
                        .header(header, value)
                        .GET()
                        .build());
    }

    /** Sends and reads only the status (a stream's body never ends), counting it. */
    static void record(String what, HttpRequest request) {
        int status;
        try {
            HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            r.body().close();
        } catch (IllegalArgumentException e) {
            return; // the JDK client refuses to send it (a header value it deems invalid): nothing reached the server
        } catch (Exception e) {
            status = 599; // no answer at all counts as a server error
        }
        count(what, status);
    }

    static void count(String what, int status) {
        sent++;
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500) serverErrors.add(status + " " + what.substring(0, Math.min(what.length(), 200)));
    }

    /** Collects the methods and the path pattern of one route's predicate. */
    private record PredicateVisitor(Route[] found) implements RequestPredicates.Visitor {
        @Override
        public void method(Set<HttpMethod> methods) {
            found[0] = new Route(methods, found[0].pattern());
        }

        @Override
        public void path(String pattern) {
            found[0] = new Route(found[0].methods(), pattern);
        }

        @Override
        public void pathExtension(String extension) {}

        @Override
        public void version(String version) {}

        @Override
        public void header(String name, String value) {}

        @Override
        public void queryParam(String name, String value) {}

        @Override
        public void startAnd() {}

        @Override
        public void and() {}

        @Override
        public void endAnd() {}

        @Override
        public void startOr() {}

        @Override
        public void or() {}

        @Override
        public void endOr() {}

        @Override
        public void startNegate() {}

        @Override
        public void endNegate() {}

        @Override
        public void unknown(RequestPredicate predicate) {}
    }
}
