package io.logflow.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checkouts through the demo services' gateway at a steady rate ({@code GET /checkout}), at most
 * {@value #MAX_IN_FLIGHT} waiting for an answer, counting what the gateway answered.
 */
final class AppTraffic {
    static final int MAX_IN_FLIGHT = 16;
    private static final String[] ITEMS = {
        "SKU-10042", "SKU-20417", "SKU-31337", "SKU-47110", "SKU-55501", "SKU-68020", "SKU-70707", "SKU-84213"
    };

    private final URI gateway;
    private final double rate;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    final AtomicLong sent = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong declined = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong unanswered = new AtomicLong();

    /** @param rate checkouts per second */
    AppTraffic(URI gateway, double rate) {
        if (!(rate > 0)) throw new IllegalArgumentException("app rate must be > 0, got " + rate);
        this.gateway = gateway;
        this.rate = rate;
    }

    /** Sends until {@code stop} is set or {@code endNanos} (System.nanoTime) passes; then waits for the answers. */
    void run(AtomicBoolean stop, long endNanos) throws InterruptedException {
        long start = System.nanoTime();
        long due = 0;
        while (!stop.get() && System.nanoTime() < endNanos) {
            long target = (long) (rate * (System.nanoTime() - start) / 1e9) + 1;
            while (due < target && !stop.get()) {
                inFlight.acquire();
                send();
                due++;
            }
            Thread.sleep(20);
        }
        inFlight.tryAcquire(MAX_IN_FLIGHT, 15, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void send() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        URI uri = gateway.resolve("/checkout?user=u-" + (1000 + rnd.nextInt(9000)) + "&item="
                + ITEMS[rnd.nextInt(ITEMS.length)] + "&qty=" + (1 + rnd.nextInt(4)));
        sent.incrementAndGet();
        http.sendAsync(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(15))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((r, e) -> {
                    if (e != null) unanswered.incrementAndGet();
                    else if (r.statusCode() < 300) ok.incrementAndGet();
                    else if (r.statusCode() == 402) declined.incrementAndGet();
                    else failed.incrementAndGet();
                    inFlight.release();
                });
    }

    /** For the progress line. */
    String summary() {
        return String.format(
                Locale.ROOT,
                "checkouts %,d (ok %,d, declined %,d, failed %,d%s)",
                sent.get(),
                ok.get(),
                declined.get(),
                failed.get(),
                unanswered.get() > 0 ? ", unanswered " + unanswered.get() : "");
    }
}
