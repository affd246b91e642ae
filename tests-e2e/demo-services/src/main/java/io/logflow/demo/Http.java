package io.logflow.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JDK's HTTP server and client as the demo services use them. */
final class Http implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Http.class);

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final HttpServer server;
    private final ExecutorService pool;

    private Http(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** A server on 127.0.0.1:port (0: any free port) with one handler per path. */
    static Http serve(int port, Map<String, HttpHandler> routes) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            routes.forEach((path, handler) -> server.createContext(path, exchange -> {
                try {
                    handler.handle(exchange);
                } catch (RuntimeException | IOException e) {
                    log.error(
                            "{} {} failed",
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getPath(),
                            e);
                    respond(exchange, 500, "{\"error\":\"internal\"}");
                } finally {
                    exchange.close();
                }
            }));
            ExecutorService pool = Executors.newFixedThreadPool(32);
            server.setExecutor(pool);
            server.start();
            return new Http(server, pool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    static void respond(HttpExchange exchange, int status, String json) {
        try {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            // the client went away
        }
    }

    /** key=value&... from a query string or a form body. */
    static Map<String, String> form(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) return m;
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            m.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    static String form(Map<String, ?> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            if (b.length() > 0) b.append('&');
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting, gives requests in progress a moment, then stops the handler threads. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
