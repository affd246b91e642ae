package io.logflow.e2e;

import static java.util.Objects.requireNonNull;

import io.logflow.infra.OtelAgent;
import io.logflow.infra.StateApiProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The demo services (module {@code tests-e2e/demo-services}: gateway → orders → payments over HTTP,
 * orders → topic {@code demo.orders} → worker) as four child JVMs, each with the OpenTelemetry Java
 * agent and its own {@code OTEL_SERVICE_NAME}, exporting spans and log records over OTLP/HTTP
 * protobuf. Their output (JSON log lines, the agent's own lines) goes to one file per service and to
 * the line listeners; a service is ready when it logs {@code ready}.
 */
final class DemoApps implements AutoCloseable {
    /** In start order; stopped in reverse (no new requests first, the consumer last). */
    static final List<String> SERVICES = List.of("worker", "payments", "orders", "gateway");

    /**
     * @param classpath the demo services' classpath ({@link #classpath()})
     * @param agentJar the OpenTelemetry agent; null runs the services without it
     * @param otlpEndpoint base URL of the OTLP/HTTP receiver (LogFlow), used unless the user's
     *     environment sets {@code OTEL_EXPORTER_OTLP_ENDPOINT}
     * @param failureRatio share of payments that fail (declined or error)
     * @param env set on every service last: wins over everything else (tests choose exporters here)
     */
    record Options(
            String classpath,
            Path agentJar,
            String bootstrapServers,
            String otlpEndpoint,
            double failureRatio,
            Path logDir,
            Map<String, String> env) {
        Options {
            requireNonNull(classpath, "classpath");
            requireNonNull(bootstrapServers, "bootstrapServers");
            requireNonNull(otlpEndpoint, "otlpEndpoint");
            requireNonNull(logDir, "logDir");
            if (!(failureRatio >= 0 && failureRatio <= 1))
                throw new IllegalArgumentException("failure ratio must be within 0..1, got " + failureRatio);
            env = env == null ? Map.of() : Map.copyOf(env);
        }
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Duration> startup = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> ready = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final Options options;
    private final URI gateway;
    private final Thread shutdownHook = new Thread(this::stopAll, "demo-apps-stop");

    private DemoApps(Options options, URI gateway) {
        this.options = options;
        this.gateway = gateway;
    }

    /**
     * The demo services' classpath: {@code logflow.demoServicesClasspath}, else the module's jar plus its recorded
     * runtime classpath.
     */
    static String classpath() {
        String cp = System.getProperty("logflow.demoServicesClasspath");
        if (cp != null && !cp.isBlank()) return cp;
        Path jar = Path.of(System.getProperty(
                "logflow.demoServicesJar", "tests-e2e/demo-services/target/logflow-demo-services-0.1.0-SNAPSHOT.jar"));
        Path recorded = jar.resolveSibling("runtime.classpath");
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(recorded)) {
            throw new IllegalStateException("the demo services are not built (" + jar
                    + "): ./mvnw -B -DskipTests package -pl tests-e2e/demo-services");
        }
        try {
            return jar.toAbsolutePath()
                    + java.io.File.pathSeparator
                    + Files.readString(recorded).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the four services at once; returns at once (see {@link #awaitReady}). */
    static DemoApps start(Options o, BiConsumer<String, String> lineListener) {
        try {
            Files.createDirectories(o.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> ports =
                Map.of("gateway", freePort(), "orders", freePort(), "payments", freePort(), "worker", 0);
        DemoApps apps = new DemoApps(o, URI.create("http://127.0.0.1:" + ports.get("gateway")));
        if (lineListener != null) apps.listeners.add(lineListener);
        Runtime.getRuntime().addShutdownHook(apps.shutdownHook);
        try {
            for (String service : SERVICES) apps.launch(service, ports);
        } catch (RuntimeException e) {
            apps.close();
            throw e;
        }
        return apps;
    }

    private void launch(String service, Map<String, Integer> ports) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (options.agentJar() != null) cmd.add(OtelAgent.javaagentOption(options.agentJar()));
        // small, short-lived JVMs on a shared machine: C1 only and the serial collector start fastest
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-Xss512k"));
        cmd.addAll(List.of("-cp", options.classpath(), "io.logflow.demo.DemoService", service));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(environment(service, ports, System.getenv()));
        Path log = options.logDir().resolve("demo-" + service + ".log");
        ready.put(service, new CountDownLatch(1));
        try {
            long t0 = System.nanoTime();
            Process p = pb.start();
            started.put(service, t0);
            synchronized (processes) {
                processes.put(service, p);
            }
            Thread reader = new Thread(() -> pump(service, p, log), "demo-" + service + "-output");
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start demo service " + service, e);
        }
    }

    /** What a service gets on top of the inherited environment. */
    Map<String, String> environment(String service, Map<String, Integer> ports, Map<String, String> userEnv) {
        Map<String, String> env =
                new LinkedHashMap<>(OtelAgent.defaultEnvironment(userEnv, service, options.otlpEndpoint()));
        env.put("OTEL_SERVICE_NAME", service); // one per JVM, whatever the user's environment says
        // spans and log records go to LogFlow, which has no metrics receiver; export every second so a
        // request shows up in LogFlow soon after it happened
        putIfUnset(env, userEnv, "OTEL_TRACES_EXPORTER", "otlp");
        putIfUnset(env, userEnv, "OTEL_LOGS_EXPORTER", "otlp");
        putIfUnset(env, userEnv, "OTEL_METRICS_EXPORTER", "none");
        putIfUnset(env, userEnv, "OTEL_BSP_SCHEDULE_DELAY", "1000");
        putIfUnset(env, userEnv, "OTEL_BLRP_SCHEDULE_DELAY", "1000");
        env.put("DEMO_PORT", String.valueOf(ports.get(service)));
        env.put("DEMO_ORDERS_URL", "http://127.0.0.1:" + ports.get("orders"));
        env.put("DEMO_PAYMENTS_URL", "http://127.0.0.1:" + ports.get("payments"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", options.bootstrapServers());
        env.put("DEMO_FAILURE_RATIO", String.valueOf(options.failureRatio()));
        env.putAll(options.env());
        return env;
    }

    private static void putIfUnset(Map<String, String> env, Map<String, String> userEnv, String name, String value) {
        String set = userEnv.get(name);
        if (set == null || set.isBlank()) env.put(name, value);
    }

    private void pump(String service, Process p, Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (ready.get(service).getCount() > 0 && line.contains("\"message\":\"ready")) {
                    startup.put(service, Duration.ofNanos(System.nanoTime() - started.get(service)));
                    ready.get(service).countDown();
                }
                for (BiConsumer<String, String> l : listeners) l.accept(service, line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /**
     * Waits until every service has logged {@code ready}.
     *
     * @throws IllegalStateException when one exits first or the timeout passes, with its log's tail
     */
    DemoApps awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String service : SERVICES) {
            while (!ready.get(service).await(100, TimeUnit.MILLISECONDS)) {
                Process p = processes.get(service);
                if (!p.isAlive()) {
                    throw new IllegalStateException("demo service " + service + " exited with code " + p.exitValue()
                            + "; its log:\n" + tail(service, 30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("demo service " + service + " not ready after "
                            + timeout.toSeconds() + " s; its log:\n" + tail(service, 30));
                }
            }
        }
        return this;
    }

    URI gateway() {
        return gateway;
    }

    /** From process start to its {@code ready} line, per service that is ready. */
    Map<String, Duration> startupTimes() {
        Map<String, Duration> m = new LinkedHashMap<>();
        for (String s : SERVICES) if (startup.containsKey(s)) m.put(s, startup.get(s));
        return m;
    }

    Path logFile(String service) {
        return options.logDir().resolve("demo-" + service + ".log");
    }

    String tail(String service, int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(service), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to each service, gateway first; waits for all (each flushes its spans and logs on the way out). */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private void stopAll() {
        List<Process> running = new ArrayList<>();
        synchronized (processes) {
            List<String> order = new ArrayList<>(SERVICES);
            java.util.Collections.reverse(order);
            for (String s : order) {
                Process p = processes.get(s);
                if (p != null && p.isAlive()) {
                    // SIGTERM through the handle: Process.destroy() would also close our end of its output,
                    // losing what it writes while it stops (and its writes would fail)
                    p.toHandle().destroy();
                    running.add(p);
                }
            }
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Process p : running) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (Thread r : readers) {
            try {
                r.join(2000); // the last lines reach the log files and listeners
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() {
        return StateApiProcess.freePort();
    }
}
