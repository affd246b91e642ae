package io.logflow.demo;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /checkout?user=&item=&qty=}: asks orders to place the order and answers with its status. */
final class Gateway {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private Gateway() {}

    static AutoCloseable start(int port, String ordersUrl) {
        URI orders = URI.create(ordersUrl).resolve("/orders");
        Http http = Http.serve(port, Map.of("/checkout", exchange -> checkout(exchange, orders)));
        log.info("ready on port {}", http.port());
        return http;
    }

    private static void checkout(HttpExchange exchange, URI orders) throws IOException {
        Map<String, String> q = Http.form(exchange.getRequestURI().getRawQuery());
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("user", q.getOrDefault("user", "u-" + (1000 + rnd.nextInt(9000))));
        order.put("item", q.getOrDefault("item", "SKU-" + (10_000 + rnd.nextInt(90_000))));
        order.put("qty", q.getOrDefault("qty", String.valueOf(1 + rnd.nextInt(4))));
        log.info("checkout for {}: {} x {}", order.get("user"), order.get("qty"), order.get("item"));
        HttpRequest request = HttpRequest.newBuilder(orders)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.form(order)))
                .build();
        HttpResponse<String> answer;
        try {
            answer = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            log.error("checkout for {} failed: orders unreachable", order.get("user"), e);
            Http.respond(exchange, 502, "{\"status\":\"orders-unreachable\"}");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Http.respond(exchange, 503, "{\"status\":\"stopping\"}");
            return;
        }
        int status = answer.statusCode();
        if (status >= 500) log.error("checkout for {} failed: orders answered {}", order.get("user"), status);
        else if (status >= 400) log.warn("checkout for {} refused: orders answered {}", order.get("user"), status);
        else log.info("checkout for {} done: {}", order.get("user"), answer.body());
        Http.respond(exchange, status, answer.body());
    }
}
