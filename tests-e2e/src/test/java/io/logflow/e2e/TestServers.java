package io.logflow.e2e;

import io.logflow.infra.LocalAccess;
import io.logflow.infra.OtelAgent;
import io.logflow.infra.StateApiProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How the end-to-end tests run the LogFlow server: one copy of the boot jar, a child process on a free port. */
final class TestServers {
    private TestServers() {}

    /** A copy of the boot jar in {@code dir}: a rebuild of state-api while a test runs must not rewrite it. */
    static Path copyJar(Path dir) throws IOException {
        return Files.copy(
                Path.of(System.getProperty(
                        "logflow.stateApiJar", "../state-api/target/logflow-state-api-0.1.0-SNAPSHOT.jar")),
                dir.resolve("logflow-state-api.jar"));
    }

    /** The folder of LogFlow's Connect plugins (the Elasticsearch sink), for a worker's {@code plugin.path}. */
    static Path connectorPluginPath() {
        Path p = Path.of(System.getProperty("logflow.connectPluginPath", "../connectors/target/plugin"));
        if (!Files.isDirectory(p.resolve("logflow-elasticsearch-sink")))
            throw new IllegalStateException("no Connect plugin at " + p.toAbsolutePath() + ": build connectors first");
        return p.toAbsolutePath();
    }

    /** The first admin's password of every server the end-to-end tests start. */
    static final String ADMIN_PASSWORD = "e2e-admin-password";

    /**
     * Logs in as the first admin and creates an ingest token, as a user does on the admin page; the process-wide
     * clients ({@link Api}, the demo's log sender, {@link #auth}) then send them ({@link BenchAccess}).
     */
    static void signIn(java.net.URI base) {
        String access = LocalAccess.login(base, LocalAccess.ADMIN, ADMIN_PASSWORD);
        String ingest = LocalAccess.createIngestToken(
                base, access, "e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        BenchAccess.set(access, ingest);
    }

    /**
     * The {@code Authorization} header a test request to {@code path} carries after {@link #signIn}: the ingest token
     * on ingest routes, the admin's access token elsewhere.
     */
    static String[] auth(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        boolean ingest = p.equals("/api/v1/logs") || p.startsWith("/v1/");
        return ingest ? BenchAccess.ingestHeaders() : BenchAccess.readHeaders();
    }

    /**
     * The four demo services under the OpenTelemetry agent, exporting spans and logs over OTLP/HTTP to {@code server}
     * every 200 ms, no slow payments; {@code failureRatio} of the payments fail. Started, not yet awaited ready.
     */
    static DemoApps tracedDemo(Path logDir, String bootstrapServers, String server, double failureRatio) {
        return DemoApps.start(
                new DemoApps.Options(
                        DemoApps.classpath(),
                        OtelAgent.jar(),
                        bootstrapServers,
                        server,
                        failureRatio,
                        logDir,
                        Map.of(
                                "OTEL_BSP_SCHEDULE_DELAY",
                                "200",
                                "OTEL_BLRP_SCHEDULE_DELAY",
                                "200",
                                "DEMO_SLOW_RATIO",
                                "0",
                                // the ingest token of the last signIn, as a user's agent sends it
                                "OTEL_EXPORTER_OTLP_HEADERS",
                                LocalAccess.otlpHeaders(java.util.Objects.requireNonNull(
                                        BenchAccess.ingestToken(), "signIn before starting the demo")))),
                (service, line) -> {});
    }

    /** The server on a free port with {@code -Xmx512m}, started (not yet awaited healthy). */
    static StateApiProcess start(
            Path jar,
            String bootstrapServers,
            Path stateDir,
            String applicationId,
            Path logFile,
            Map<String, String> env) {
        // every test request comes from 127.0.0.1: polling loops would run into one address's rate limits
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("LOGFLOW_RATE_LIMITS_ENABLED", "false");
        // the first admin, as a user following the README would set it: signIn logs in with it
        all.put("LOGFLOW_ADMIN_PASSWORD", ADMIN_PASSWORD);
        all.putAll(env);
        return StateApiProcess.start(new StateApiProcess.Options(
                jar, bootstrapServers, 0, stateDir, applicationId, logFile, List.of("-Xmx512m"), all));
    }
}
