package io.logflow.demo;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /orders} (form: user, item, qty): prices the order, has payments charge it, and hands a
 * paid order to the worker through topic {@value DemoService#ORDERS_TOPIC}. 201 paid, 402 declined,
 * 502 when payments failed.
 */
final class Orders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Orders.class);

    private final AtomicLong nextOrder = new AtomicLong(100_000 + (System.currentTimeMillis() % 800_000));
    private final URI payments;
    private final KafkaProducer<String, String> producer;
    private Http http;

    private Orders(URI payments, KafkaProducer<String, String> producer) {
        this.payments = payments;
        this.producer = producer;
    }

    static AutoCloseable start(int port, String paymentsUrl, String bootstrapServers) {
        Topics.ensure(bootstrapServers);
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG,
                "demo-orders",
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                5000);
        Orders orders = new Orders(
                URI.create(paymentsUrl).resolve("/payments"),
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()));
        orders.http = Http.serve(port, Map.of("/orders", orders::order));
        log.info("ready on port {}", orders.http.port());
        return orders;
    }

    private void order(HttpExchange exchange) throws IOException {
        Map<String, String> form = Http.form(Http.body(exchange));
        String item = form.getOrDefault("item", "SKU-10000");
        int qty = Integer.parseInt(form.getOrDefault("qty", "1"));
        long order = nextOrder.incrementAndGet();
        long cents = qty * (500L + Math.floorMod(item.hashCode(), 9_500));
        log.info("order {} for {}: {} x {} = {} cents", order, form.get("user"), qty, item, cents);

        Map<String, Object> charge = new LinkedHashMap<>();
        charge.put("order", order);
        charge.put("amount", cents);
        HttpRequest request = HttpRequest.newBuilder(payments)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.form(charge)))
                .build();
        int status;
        try {
            status = Http.CLIENT
                    .send(request, HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (IOException e) {
            log.error("order {}: payments unreachable", order, e);
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
        }
        if (status == 402) {
            log.warn("order {} declined by payments", order);
            Http.respond(exchange, 402, "{\"order\":" + order + ",\"status\":\"declined\"}");
            return;
        }
        if (status != 200) {
            log.error("order {} failed: payments answered {}", order, status == 0 ? "nothing" : status);
            Http.respond(exchange, 502, "{\"order\":" + order + ",\"status\":\"payment-failed\"}");
            return;
        }
        String value =
                "{\"order\":" + order + ",\"item\":\"" + item + "\",\"qty\":" + qty + ",\"amount\":" + cents + "}";
        try {
            RecordMetadata m = producer.send(
                            new ProducerRecord<>(DemoService.ORDERS_TOPIC, String.valueOf(order), value))
                    .get(5, TimeUnit.SECONDS);
            log.info("order {} paid, queued for fulfilment ({}-{}@{})", order, m.topic(), m.partition(), m.offset());
            Http.respond(exchange, 201, "{\"order\":" + order + ",\"status\":\"paid\"}");
        } catch (ExecutionException | TimeoutException e) {
            log.error("order {} paid but not queued", order, e);
            Http.respond(exchange, 500, "{\"order\":" + order + ",\"status\":\"not-queued\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Http.respond(exchange, 503, "{\"order\":" + order + ",\"status\":\"stopping\"}");
        }
    }

    @Override
    public void close() {
        if (http != null) http.close();
        producer.close(Duration.ofSeconds(5));
    }
}
