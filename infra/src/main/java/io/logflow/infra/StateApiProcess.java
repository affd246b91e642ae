package io.logflow.infra;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LogFlow server (the state-api boot jar) run as a child JVM, as {@code ./logflow up}, the
 * benchmark and the end-to-end tests run it: configured only through the environment variables a
 * user would set, output to a log file, stopped with SIGTERM (Spring's graceful shutdown closes
 * Kafka Streams) and killed only if it does not stop in time.
 */
public final class StateApiProcess implements AutoCloseable {
    /** How the boot jar is started. */
    public record Options(
            Path jar,
            String bootstrapServers,
            int port,
            Path stateDir,
            String applicationId,
            Path logFile,
            List<String> jvmOptions,
            Map<String, String> extraEnv) {
        public Options {
            requireNonNull(jar, "jar");
            requireNonNull(bootstrapServers, "bootstrapServers");
            requireNonNull(stateDir, "stateDir");
            requireNonNull(logFile, "logFile");
            jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
            extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        }
    }

    private static final Pattern STREAMS_STATE =
            Pattern.compile("\"(?:streams|state|streamsState)\"\\s*:\\s*\"?([A-Z_]+)\"?");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

    private final Process process;
    private final Options options;
    private final URI baseUri;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook;

    private StateApiProcess(Process process, Options options, int port) {
        this.process = process;
        this.options = options;
        this.baseUri = URI.create("http://127.0.0.1:" + port);
        this.shutdownHook = new Thread(this::stop, "state-api-stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the server; returns at once, see {@link #awaitHealthy}. */
    public static StateApiProcess start(Options o) {
        if (!Files.isRegularFile(o.jar())) {
            throw new IllegalStateException(
                    "state-api jar not found: " + o.jar() + " (build it: ./mvnw -B -DskipTests install)");
        }
        int port = o.port() == 0 ? freePort() : o.port();
        try {
            Files.createDirectories(o.stateDir());
            Files.createDirectories(o.logFile().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>();
        // Its own session: a Ctrl-C in the terminal reaches only the orchestrator, which stops this
        // server before the broker (otherwise both would get SIGINT at once).
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(o.jvmOptions());
        cmd.add("-jar");
        cmd.add(o.jar().toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", o.bootstrapServers());
        env.put("LOGFLOW_PORT", String.valueOf(port));
        env.put("LOGFLOW_STATE_DIR", o.stateDir().toAbsolutePath().toString());
        if (o.applicationId() != null) env.put("LOGFLOW_APPLICATION_ID", o.applicationId());
        env.putAll(o.extraEnv());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(o.logFile().toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            return new StateApiProcess(pb.start(), o, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    public int port() {
        return baseUri.getPort();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return options.logFile();
    }

    /**
     * Waits until GET /health answers 200 (and, if it names a Kafka Streams state, that state is
     * RUNNING).
     *
     * @throws IllegalStateException if the process exits or the timeout passes, with the log's tail
     */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("state-api exited with code " + process.exitValue() + "; last lines of "
                        + options.logFile() + ":\n" + tail(40));
            }
            Health h = health();
            if (h.healthy()) return;
            last = h.summary();
            sleep(200);
        }
        throw new IllegalStateException("state-api not healthy after " + timeout.toSeconds() + " s (" + last
                + "); last lines of " + options.logFile() + ":\n" + tail(40));
    }

    /** One GET /health. */
    public Health health() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(baseUri.resolve("/health"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = STREAMS_STATE.matcher(r.body());
            String streams = m.find() ? m.group(1) : null;
            boolean healthy =
                    r.statusCode() == 200 && (streams == null || streams.equals("RUNNING") || streams.equals("UP"));
            return new Health(r.statusCode(), streams, r.body(), healthy);
        } catch (IOException e) {
            return new Health(0, null, e.toString(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(0, null, "interrupted", false);
        }
    }

    /** The answer of GET /health: status 0 when nothing answered. */
    public record Health(int status, String streamsState, String body, boolean healthy) {
        String summary() {
            return status == 0 ? body : "HTTP " + status + (streamsState == null ? "" : ", streams " + streamsState);
        }
    }

    /** Blocks until the process exits; returns its exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** The last lines of the server's log. */
    public String tail(int lines) {
        return ChildProcesses.tail(options.logFile(), lines);
    }

    /** Stops the server: SIGTERM, then SIGKILL if it is still running after 40 s. */
    @Override
    public void close() {
        stop();
        ChildProcesses.removeShutdownHook(shutdownHook);
    }

    private synchronized void stop() {
        ChildProcesses.stop(process, STOP_TIMEOUT);
    }

    /** A port free on 127.0.0.1 at the time of the call. */
    public static int freePort() {
        return ChildProcesses.freePort();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
