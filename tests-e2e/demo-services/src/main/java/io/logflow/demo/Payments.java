package io.logflow.demo;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /payments} (form: order, amount): charges a card. Some charges are slow (the card
 * processor takes 0.4-1.5 s), some declined (402), some fail (500, logged with a stack trace):
 * together {@code failureRatio} of them, 60 % declines and 40 % errors.
 */
final class Payments {
    private static final Logger log = LoggerFactory.getLogger(Payments.class);

    private Payments() {}

    static AutoCloseable start(int port, double failureRatio, double slowRatio) {
        Http http = Http.serve(port, Map.of("/payments", exchange -> charge(exchange, failureRatio, slowRatio)));
        log.info("ready on port {}", http.port());
        return http;
    }

    private static void charge(HttpExchange exchange, double failureRatio, double slowRatio) throws IOException {
        Map<String, String> form = Http.form(Http.body(exchange));
        String order = form.getOrDefault("order", "?");
        String amount = form.getOrDefault("amount", "0");
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (rnd.nextDouble() < slowRatio) {
            long ms = 400 + rnd.nextLong(1100);
            Http.sleep(ms);
            log.warn("card processor slow for order {}: {} ms", order, ms);
        } else {
            Http.sleep(5 + rnd.nextLong(30));
        }
        double outcome = rnd.nextDouble();
        if (outcome < failureRatio * 0.6) {
            log.warn("card declined for order {}: insufficient funds for {} cents", order, amount);
            Http.respond(exchange, 402, "{\"order\":" + order + ",\"status\":\"declined\"}");
        } else if (outcome < failureRatio) {
            IllegalStateException e =
                    new IllegalStateException("card processor timed out after " + (1000 + rnd.nextInt(2000)) + " ms");
            log.error("charging order {} failed", order, e);
            Http.respond(exchange, 500, "{\"order\":" + order + ",\"status\":\"error\"}");
        } else {
            log.info("captured {} cents for order {}", amount, order);
            Http.respond(exchange, 200, "{\"order\":" + order + ",\"status\":\"captured\"}");
        }
    }
}
