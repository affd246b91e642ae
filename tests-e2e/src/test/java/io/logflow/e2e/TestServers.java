package io.logflow.e2e;

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
                                "0")),
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
        all.putAll(env);
        return StateApiProcess.start(new StateApiProcess.Options(
                jar, bootstrapServers, 0, stateDir, applicationId, logFile, List.of("-Xmx512m"), all));
    }
}
