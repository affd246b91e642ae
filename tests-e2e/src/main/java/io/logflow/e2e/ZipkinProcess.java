package io.logflow.e2e;

import io.logflow.infra.ChildProcesses;
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

/**
 * Zipkin server (its Maven Central exec jar, copied into {@code tests-e2e/target/zipkin} by the
 * build) as a child JVM on a free port, with in-memory storage or on an Elasticsearch: the trace benchmark's
 * comparisons.
 * Output goes to a log file; stopped with SIGTERM, killed if it does not stop within 20 s, and
 * stopped by a shutdown hook if the benchmark's JVM exits first.
 */
final class ZipkinProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final URI baseUri;
    private final Path logFile;
    private final Thread shutdownHook;

    private ZipkinProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.baseUri = URI.create("http://127.0.0.1:" + port);
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "zipkin-stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code java <jvmOptions> -jar jar} with {@code STORAGE_TYPE=mem}, on this JVM's Java; returns at once,
     * see {@link #awaitHealthy}.
     *
     * @param maxSpans {@code MEM_MAX_SPANS}: the in-memory store drops the oldest traces beyond it
     */
    static ZipkinProcess start(Path jar, Path logFile, long maxSpans, List<String> jvmOptions) {
        return start(
                jar,
                logFile,
                Path.of(System.getProperty("java.home")),
                Map.of("STORAGE_TYPE", "mem", "MEM_MAX_SPANS", Long.toString(maxSpans)),
                jvmOptions);
    }

    /**
     * Starts {@code java <jvmOptions> -jar jar} with {@code STORAGE_TYPE=elasticsearch} on the Elasticsearch at
     * {@code elasticsearchUrl} (one shard and no replica per index, as on a single node), run by the JDK at {@code
     * javaHome}; returns at once, see {@link #awaitHealthy}.
     */
    static ZipkinProcess startOnElasticsearch(
            Path jar, Path logFile, Path javaHome, String elasticsearchUrl, List<String> jvmOptions) {
        return start(
                jar,
                logFile,
                javaHome,
                Map.of(
                        "STORAGE_TYPE",
                        "elasticsearch",
                        "ES_HOSTS",
                        elasticsearchUrl,
                        "ES_INDEX_SHARDS",
                        "1",
                        "ES_INDEX_REPLICAS",
                        "0"),
                jvmOptions);
    }

    private static ZipkinProcess start(
            Path jar, Path logFile, Path javaHome, Map<String, String> storage, List<String> jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Zipkin server jar not found: " + jar
                    + " (build tests-e2e: ./mvnw -B -pl tests-e2e -am package -DskipTests)");
        }
        int port = ChildProcesses.freePort();
        List<String> cmd = new ArrayList<>();
        // its own session, as the LogFlow server: a Ctrl-C reaches only the benchmark, which stops it
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.putAll(storage);
        env.put("QUERY_PORT", Integer.toString(port));
        pb.redirectErrorStream(true);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            return new ZipkinProcess(pb.start(), port, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    URI baseUri() {
        return baseUri;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    /** Until GET /health answers 200 with status UP. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IllegalStateException(
                        "Zipkin exited with code " + process.exitValue() + "; its log:\n" + tail(40));
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(baseUri.resolve("/health"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) return;
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "Zipkin not healthy after " + timeout.toSeconds() + " s (" + last + "); its log:\n" + tail(40));
    }

    String tail(int lines) {
        return ChildProcesses.tail(logFile, lines);
    }

    @Override
    public void close() {
        stop();
        ChildProcesses.removeShutdownHook(shutdownHook);
    }

    private synchronized void stop() {
        ChildProcesses.stop(process, STOP_TIMEOUT);
    }
}
