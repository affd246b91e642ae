package io.logflow.e2e;

import io.logflow.infra.LocalAccess;
import io.logflow.infra.OtelAgent;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code ./logflow demo}: two kinds of traffic for a running LogFlow, by default both at once, with
 * one progress line.
 *
 * <ul>
 *   <li>Synthetic JSON logs ({@link TrafficGenerator}): request flows across up to 20 made-up
 *       services, sent through {@code POST /api/v1/logs} in batches at a steady rate
 *       ({@code --rate}, 0 = none).
 *   <li>Real traced services ({@link DemoApps}): gateway → orders → payments and orders → Kafka →
 *       worker, four JVMs with the OpenTelemetry agent sending spans and log records to LogFlow's
 *       OTLP endpoint and using LogFlow's Kafka, driven through the gateway ({@code --app-rate}
 *       checkouts per second, 0 = none).
 * </ul>
 */
public final class Demo {
    static final int MAX_BATCH = 500;
    static final int MAX_IN_FLIGHT = 4;

    /** @param duration how long to send; zero means until stopped */
    record Options(URI url, int services, double rate, Duration duration, double errorRatio, long seed) {
        Options {
            if (!(rate > 0)) throw new IllegalArgumentException("--rate must be > 0, got " + rate);
            if (duration.isNegative()) throw new IllegalArgumentException("--duration must be >= 0");
        }
    }

    /** What one run did. */
    record Result(
            long sent,
            long accepted,
            long rejected,
            long failed,
            long requests,
            long failedRequests,
            double seconds,
            String lastProblem) {
        double rate() {
            return seconds > 0 ? sent / seconds : 0;
        }
    }

    static final String USAGE =
            "usage: ./logflow demo [--url URL] [--services 3..20] [--rate LOGS_PER_S, 0 = no synthetic logs] "
                    + "[--duration SECONDS, 0 = until Ctrl-C] [--error-ratio 0..1] [--app-rate CHECKOUTS_PER_S, 0 = "
                    + "no traced demo services]";

    private Demo() {}

    public static void main(String[] args) throws Exception {
        // quiet Kafka client logs unless asked otherwise (slf4j-simple reads this on first use)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null)
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Cli cli = new Cli("./logflow demo", args);
        String port = System.getenv().getOrDefault("LOGFLOW_PORT", "8080");
        URI url;
        double rate;
        double appRate;
        Duration duration;
        double errorRatio;
        int services;
        int seed;
        try {
            url = URI.create(stripSlash(cli.string("--url", "http://127.0.0.1:" + port)));
            services = cli.integer("--services", 8);
            rate = cli.decimal("--rate", 200);
            duration = Duration.ofMillis((long) (cli.decimal("--duration", 60) * 1000));
            errorRatio = cli.decimal("--error-ratio", 0.05);
            seed = cli.integer("--seed", (int) System.nanoTime());
            appRate = cli.decimal("--app-rate", 5);
            cli.done();
            if (!(rate >= 0)) throw new IllegalArgumentException("--rate must be >= 0, got " + rate);
            if (!(appRate >= 0)) throw new IllegalArgumentException("--app-rate must be >= 0, got " + appRate);
            if (rate == 0 && appRate == 0)
                throw new IllegalArgumentException("--rate 0 and --app-rate 0: nothing to send");
            if (duration.isNegative()) throw new IllegalArgumentException("--duration must be >= 0");
            new TrafficGenerator(services, errorRatio, 0); // validates both
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        String health = checkUp(url);
        if (health != null) {
            System.err.println("demo: LogFlow is not answering at " + url + " (" + health
                    + "). Start it with ./logflow up, or pass --url.");
            System.exit(1);
            return;
        }

        if (ingestToken().isEmpty())
            System.err.println("demo: no ingest token (LOGFLOW_INGEST_TOKEN, or " + LocalAccess.ingestTokenFile(home())
                    + ", which ./logflow up writes): sending without one; a server that requires one answers 401");

        AtomicBoolean stop = new AtomicBoolean();
        Thread main = Thread.currentThread();
        AtomicBoolean finished = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                // the demo services get SIGTERM and flush their spans: give them time
                if (!finished.get()) main.join(30_000);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }));
        long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        Apps apps = null;
        if (appRate > 0) {
            try {
                apps = Apps.start(url, appRate, errorRatio, end, stop);
            } catch (RuntimeException e) {
                System.err.println("demo: cannot start the demo services: " + e.getMessage()
                        + " (--app-rate 0 sends synthetic logs only)");
                System.exit(1);
                return;
            }
        }
        String during = duration.isZero() ? "until Ctrl-C" : duration.toSeconds() + " s";
        Supplier<String> appStatus = apps == null ? null : apps::status;
        Result r = null;
        if (rate > 0) {
            Options o = new Options(url, services, rate, duration, errorRatio, seed);
            System.out.printf(
                    Locale.ROOT,
                    "[demo] sending synthetic logs to %s: %d services, %.0f logs/s, %s, error ratio %.2f%n",
                    url,
                    services,
                    rate,
                    during,
                    errorRatio);
            String[] exampleTrace = new String[1];
            r = run(
                    o,
                    req -> {
                        if (req.services().size() >= 4 || exampleTrace[0] == null) exampleTrace[0] = req.traceId();
                    },
                    stop,
                    System.out,
                    appStatus);
            if (apps != null) apps.finish();
            System.out.printf(
                    Locale.ROOT,
                    "[demo] done: %d logs in %.1f s (%.0f/s), %d simulated requests (%d of them failing): accepted "
                            + "%d, rejected %d, failed to send %d%n",
                    r.sent(),
                    r.seconds(),
                    r.rate(),
                    r.requests(),
                    r.failedRequests(),
                    r.accepted(),
                    r.rejected(),
                    r.failed());
            if (r.lastProblem() != null) System.out.println("[demo] last problem: " + r.lastProblem());
            if (exampleTrace[0] != null) {
                System.out.println("[demo] look:  " + url + "/#/trace/" + exampleTrace[0]
                        + " in the UI, or with an access" + " token in $AUTH (the README's API section):");
                System.out.println("              curl -H \"$AUTH\" '" + url + "/api/v1/metrics/overview?minutes=15'");
                System.out.println("              curl -H \"$AUTH\" " + url + "/api/v1/logs/trace/" + exampleTrace[0]);
            }
        } else {
            Progress line = new Progress(System.out, null, null, System.nanoTime(), appStatus);
            while (!stop.get() && System.nanoTime() < end && !apps.done()) {
                line.print(false);
                Thread.sleep(250);
            }
            line.print(true);
            apps.finish();
        }
        if (apps != null) apps.report(System.out);
        finished.set(true);
        boolean failed = (r != null && (r.failed() > 0 || r.accepted() == 0)) || (apps != null && apps.failed());
        if (!stop.get()) System.exit(failed ? 1 : 0);
    }

    /**
     * The traced demo services: started in the background, then driven until the end; {@link #status} for the progress
     * line.
     */
    static final class Apps {
        private final DemoApps.Options options;
        private final double rate;
        private final long endNanos;
        private final AtomicBoolean stop;
        private final Thread thread = new Thread(this::body, "demo-apps");
        private volatile String state = "starting gateway, orders, payments, worker with the OpenTelemetry agent";
        private volatile DemoApps apps;
        private volatile AppTraffic traffic;
        private volatile String problem;
        private volatile boolean closing;

        private Apps(DemoApps.Options options, double rate, long endNanos, AtomicBoolean stop) {
            this.options = options;
            this.rate = rate;
            this.endNanos = endNanos;
            this.stop = stop;
            thread.setDaemon(true);
        }

        /** Fails at once when Kafka's address, the agent or the services' jars cannot be found. */
        static Apps start(URI url, double rate, double failureRatio, long endNanos, AtomicBoolean stop) {
            Path logDir =
                    Path.of(System.getProperty("logflow.home", ".logflow")).resolve("logs");
            // the agents send the ingest token on OTLP, unless the user gives them headers of their own
            Map<String, String> env = new java.util.HashMap<>();
            String userHeaders = System.getenv("OTEL_EXPORTER_OTLP_HEADERS");
            if (userHeaders == null || userHeaders.isBlank())
                ingestToken().ifPresent(t -> env.put("OTEL_EXPORTER_OTLP_HEADERS", LocalAccess.otlpHeaders(t)));
            DemoApps.Options options = new DemoApps.Options(
                    DemoApps.classpath(), OtelAgent.jar(), kafkaOf(url), url.toString(), failureRatio, logDir, env);
            Apps a = new Apps(options, rate, endNanos, stop);
            a.thread.start();
            return a;
        }

        private void body() {
            try {
                long t0 = System.nanoTime();
                apps = DemoApps.start(options, null);
                if (closing) return; // stopped while starting: finish() closes them
                apps.awaitReady(Duration.ofMinutes(3));
                state = String.format(Locale.ROOT, "ready in %.1f s", (System.nanoTime() - t0) / 1e9);
                traffic = new AppTraffic(apps.gateway(), rate);
                traffic.run(stop, endNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closing) problem = e.getMessage(); // else: stopped while starting, as asked
            }
        }

        String status() {
            if (problem != null) return "demo services failed: " + firstLine(problem);
            AppTraffic t = traffic;
            return t == null ? state : t.summary();
        }

        boolean done() {
            return !thread.isAlive();
        }

        boolean failed() {
            return problem != null;
        }

        /** Waits for the traffic to end, then stops the services (they flush their spans and logs). */
        void finish() throws InterruptedException {
            closing = true;
            DemoApps starting = traffic == null ? apps : null;
            if (starting != null) starting.close(); // not ready yet: no reason to wait for them
            thread.join(60_000);
            if (apps != null) apps.close();
        }

        void report(PrintStream out) {
            if (problem != null) {
                out.println("[demo] the demo services failed: " + problem);
                return;
            }
            if (apps == null) return;
            StringBuilder times = new StringBuilder();
            apps.startupTimes()
                    .forEach((s, d) -> times.append(times.length() == 0 ? "" : ", ")
                            .append(s)
                            .append(' ')
                            .append(String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)));
            AppTraffic t = traffic;
            String otlp = System.getenv().getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", options.otlpEndpoint());
            String outcome = t != null
                    ? t.summary() + "; started in " + times
                    : "still starting when the demo ended, so no checkouts (a longer --duration gives them time)";
            out.println(
                    "[demo] demo services (OpenTelemetry agent, spans and logs over OTLP to " + otlp + "): " + outcome);
            out.println("[demo] their logs: " + apps.logFile("gateway").getParent()
                    + "/demo-{gateway,orders,payments,worker}.log");
        }

        private static String firstLine(String s) {
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    /** LogFlow's home, where ./logflow up keeps its files. */
    private static Path home() {
        return Path.of(System.getProperty("logflow.home", ".logflow"));
    }

    /**
     * The ingest token sent on {@code POST /api/v1/logs} and by the demo services' agents on OTLP (ADR 027): {@code
     * LOGFLOW_INGEST_TOKEN}, else the one ./logflow up provisioned; none for a server that does not ask for one. In a
     * JVM that signed in to its own server ({@link BenchAccess}: the bench, the end-to-end tests), that server's.
     */
    static java.util.Optional<String> ingestToken() {
        String own = BenchAccess.ingestToken();
        if (own != null) return java.util.Optional.of(own);
        return LocalAccess.ingestToken(System.getenv("LOGFLOW_INGEST_TOKEN"), home());
    }

    /** Kafka's bootstrap servers as the running LogFlow reports them in GET /health (KAFKA_BOOTSTRAP_SERVERS wins). */
    static String kafkaOf(URI url) {
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (env != null && !env.isBlank()) return env.trim();
        Api.Answer health = new Api(url).get("/health");
        if (health.status() == 0) throw new IllegalStateException("GET /health: " + health.body());
        String servers = health.json().path("kafka").path("bootstrapServers").asString("");
        if (servers.isBlank())
            throw new IllegalStateException(
                    "GET /health names no Kafka bootstrap servers; set KAFKA_BOOTSTRAP_SERVERS");
        return servers;
    }

    /**
     * Sends traffic until the duration passes or {@code stop} is set.
     *
     * @param onRequest sees every generated request (before it is sent)
     * @param progress where the progress line goes (updated in place on a terminal), or null
     */
    static Result run(
            Options o, Consumer<TrafficGenerator.Request> onRequest, AtomicBoolean stop, PrintStream progress) {
        return run(o, onRequest, stop, progress, null);
    }

    /** @param more appended to the progress line (the demo services' counts), or null */
    static Result run(
            Options o,
            Consumer<TrafficGenerator.Request> onRequest,
            AtomicBoolean stop,
            PrintStream progress,
            Supplier<String> more) {
        TrafficGenerator gen = new TrafficGenerator(o.services(), o.errorRatio(), o.seed());
        LogSender sender = new LogSender(o.url(), ingestToken().orElse(null));
        ExecutorService pool = Executors.newFixedThreadPool(MAX_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "demo-sender");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong requests = new AtomicLong();
        AtomicLong failedRequests = new AtomicLong();
        long start = System.nanoTime();
        long end = o.duration().isZero() ? Long.MAX_VALUE : start + o.duration().toNanos();
        Progress line = progress == null ? null : new Progress(progress, sender, requests, start, more);
        long generated = 0;
        long nextPrint = start;
        try {
            List<byte[]> batch = new ArrayList<>();
            while (!stop.get()) {
                long now = System.nanoTime();
                if (now >= end) break;
                long due = (long) (o.rate() * (now - start) / 1e9);
                while (generated < due) {
                    // started a moment ago: by the time a shipper sends them, a request's logs are in the past
                    TrafficGenerator.Request req = gen.next(System.currentTimeMillis() - 2_000);
                    onRequest.accept(req);
                    requests.incrementAndGet();
                    if (req.failed()) failedRequests.incrementAndGet();
                    for (TrafficGenerator.Log l : req.logs()) batch.add(l.json());
                    generated += req.logs().size();
                    if (batch.size() >= MAX_BATCH) batch = submit(batch, pool, inFlight, sender);
                }
                if (!batch.isEmpty()) batch = submit(batch, pool, inFlight, sender);
                if (line != null && now >= nextPrint) {
                    line.print(false);
                    nextPrint = now + 500_000_000L;
                }
                sleepMillis(o.rate() >= 2000 ? 20 : 100);
            }
            inFlight.acquire(MAX_IN_FLIGHT); // every batch answered
            inFlight.release(MAX_IN_FLIGHT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        if (line != null) line.print(true);
        return new Result(
                sender.sent.get(),
                sender.accepted.get(),
                sender.rejected.get(),
                sender.failed.get(),
                requests.get(),
                failedRequests.get(),
                (System.nanoTime() - start) / 1e9,
                sender.lastProblem);
    }

    private static List<byte[]> submit(List<byte[]> batch, ExecutorService pool, Semaphore inFlight, LogSender sender)
            throws InterruptedException {
        inFlight.acquire(); // back-pressure: at most MAX_IN_FLIGHT batches waiting for an answer
        pool.execute(() -> {
            try {
                sender.send(batch);
            } finally {
                inFlight.release();
            }
        });
        return new ArrayList<>();
    }

    /** The progress line: updated in place on a terminal, one line every 5 s otherwise. */
    private static final class Progress {
        private final PrintStream out;
        private final LogSender s;
        private final AtomicLong requests;
        private final long start;
        private final Supplier<String> more;
        // set by ./logflow, which runs the JVM without a terminal on stdin (System.console() is null then)
        private final boolean terminal =
                "inplace".equals(System.getProperty("logflow.progress")) || System.console() != null;
        private long lastLine;
        private long lastSent;
        private long lastTime;

        /**
         * @param s the synthetic logs' sender, or null when there are none; @param more the demo services' part, or
         * null
         */
        Progress(PrintStream out, LogSender s, AtomicLong requests, long start, Supplier<String> more) {
            this.out = out;
            this.s = s;
            this.requests = requests;
            this.start = start;
            this.more = more;
            this.lastTime = start;
        }

        void print(boolean last) {
            long now = System.nanoTime();
            if (!terminal && !last && now - lastLine < 5_000_000_000L) return;
            lastLine = now;
            String text = String.format(Locale.ROOT, "[demo] %5.1fs", (now - start) / 1e9);
            if (s != null) {
                long sent = s.sent.get();
                double rate = now > lastTime ? (sent - lastSent) / ((now - lastTime) / 1e9) : 0;
                lastSent = sent;
                lastTime = now;
                text += String.format(
                        Locale.ROOT,
                        "  sent %,d  (%,.0f/s)  accepted %,d  rejected %,d  failed %,d  requests %,d",
                        sent,
                        rate,
                        s.accepted.get(),
                        s.rejected.get(),
                        s.failed.get(),
                        requests.get());
            }
            if (more != null) text += (s != null ? "  |  " : "  ") + more.get();
            if (terminal) out.print("\r" + text + "\033[K" + (last ? "\n" : ""));
            else out.println(text);
            out.flush();
        }
    }

    /** null when GET /health answers at all (even 503: the server is there, Streams may be starting), else why not. */
    static String checkUp(URI url) {
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
            http.send(
                    HttpRequest.newBuilder(url.resolve("/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return null;
        } catch (Exception e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static void sleepMillis(long ms) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(ms);
    }
}
