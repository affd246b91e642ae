package io.logflow.demo;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java io.logflow.demo.DemoService gateway|orders|payments|worker}: one demo service per JVM.
 * There is no tracing code here: run with the OpenTelemetry Java agent, the JDK HTTP server and
 * client, kafka-clients and logback are traced by the agent, which propagates the context over HTTP
 * and Kafka headers and puts trace and span ids into every log line.
 *
 * <p>Environment: {@code DEMO_PORT} (HTTP services), {@code DEMO_ORDERS_URL} (gateway),
 * {@code DEMO_PAYMENTS_URL} and {@code KAFKA_BOOTSTRAP_SERVERS} (orders), {@code KAFKA_BOOTSTRAP_SERVERS}
 * (worker), {@code DEMO_FAILURE_RATIO} (payments: share of failed payments, default 0.05),
 * {@code DEMO_SLOW_RATIO} (payments: share of slow ones, default 0.1). Each service logs
 * {@code ready ...} once it serves; SIGTERM stops it cleanly.
 */
public final class DemoService {
    /** The topic between orders and worker. */
    static final String ORDERS_TOPIC = "demo.orders";

    static final String[] NAMES = {"gateway", "orders", "payments", "worker"};

    private DemoService() {}

    public static void main(String[] args) throws Exception {
        String name = args.length == 1 ? args[0].toLowerCase(Locale.ROOT) : "";
        if (!java.util.Arrays.asList(NAMES).contains(name)) {
            System.err.println("usage: DemoService gateway|orders|payments|worker");
            System.exit(2);
        }
        System.setProperty("demo.service", name);
        Logger log = LoggerFactory.getLogger(DemoService.class);
        Map<String, String> env = System.getenv();
        AutoCloseable service = switch (name) {
            case "gateway" -> Gateway.start(port(env), required(env, "DEMO_ORDERS_URL"));
            case "orders" ->
                Orders.start(port(env), required(env, "DEMO_PAYMENTS_URL"), required(env, "KAFKA_BOOTSTRAP_SERVERS"));
            case "payments" ->
                Payments.start(port(env), ratio(env, "DEMO_FAILURE_RATIO", 0.05), ratio(env, "DEMO_SLOW_RATIO", 0.1));
            default -> Worker.start(required(env, "KAFKA_BOOTSTRAP_SERVERS"));
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                service.close();
                                log.info("stopped");
                            } catch (Exception e) {
                                log.warn("stopping failed", e);
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "demo-stop"));
        stopped.await();
    }

    /** The service name log lines carry: the agent's OTEL_SERVICE_NAME when set, else the service run. */
    static String serviceName() {
        String otel = System.getenv("OTEL_SERVICE_NAME");
        if (otel != null && !otel.isBlank()) return otel;
        return System.getProperty("demo.service", "demo");
    }

    private static int port(Map<String, String> env) {
        return Integer.parseInt(env.getOrDefault("DEMO_PORT", "0"));
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " is not set");
        return v;
    }

    private static double ratio(Map<String, String> env, String name, double dflt) {
        String v = env.get(name);
        double r = v == null || v.isBlank() ? dflt : Double.parseDouble(v);
        if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException(name + " must be within 0..1, got " + v);
        return r;
    }
}
