package io.logflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry Java agent ({@code io.opentelemetry.javaagent:opentelemetry-javaagent}) as the
 * child JVMs started here use it: LogFlow's own server ({@code ./logflow up}, see
 * docs/adr/011-self-tracing.md) and the demo services ({@code ./logflow demo}). The build downloads
 * the jar and records its path in this module's jar; it is never on a classpath.
 */
public final class OtelAgent {
    private static final String PATH_RESOURCE = "opentelemetry-javaagent.path";

    /**
     * What LogFlow's own JVM must never do with the agent, as system properties (they win over the
     * {@code OTEL_*} environment, so no user setting brings the loop back):
     *
     * <ul>
     *   <li>Kafka instrumentation (kafka-clients, Kafka Streams, Connect): every span LogFlow ingests
     *       goes through its producer and its Streams tasks, each of which would make new spans that
     *       LogFlow ingests again — a loop that grows without end.
     *   <li>Log records: LogFlow's own log lines would come back through its OTLP receiver as logs,
     *       and ingesting logs writes log lines. Its logs stay on stdout (ECS JSON with trace ids).
     *   <li>Metrics: LogFlow receives traces and logs, not metrics (a metrics export would be refused
     *       every minute); its metrics are at {@code /actuator/prometheus}.
     * </ul>
     */
    static final List<String> SELF_TRACING_PROPERTIES = List.of(
            "-Dotel.instrumentation.kafka.enabled=false", "-Dotel.logs.exporter=none", "-Dotel.metrics.exporter=none");

    private OtelAgent() {}

    /** The agent jar in the local Maven repository; fails clearly when it is not there. */
    public static Path jar() {
        try (InputStream in = OtelAgent.class.getResourceAsStream(PATH_RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(PATH_RESOURCE + " is missing: build the infra module with Maven");
            Path jar = Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the OpenTelemetry agent " + jar
                        + " is missing: rebuild (./mvnw -B -DskipTests package -pl infra)");
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code -javaagent:<jar>} */
    public static String javaagentOption(Path jar) {
        return "-javaagent:" + jar.toAbsolutePath();
    }

    /** JVM options that attach the agent to LogFlow's own server, with the loop-breaking settings. */
    static List<String> selfTracingJvmOptions(Path jar) {
        return concat(List.of(javaagentOption(jar)), SELF_TRACING_PROPERTIES);
    }

    /**
     * The environment a traced JVM gets on top of the one it inherits: service name and OTLP/HTTP
     * endpoint, each only where the user has not set it ({@code userEnv}), so {@code OTEL_SERVICE_NAME}
     * and {@code OTEL_EXPORTER_OTLP_ENDPOINT} keep overriding them.
     *
     * @param endpoint base URL of an OTLP/HTTP receiver; the agent appends {@code /v1/traces}, {@code /v1/logs}
     */
    public static Map<String, String> defaultEnvironment(
            Map<String, String> userEnv, String serviceName, String endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        putIfUnset(env, userEnv, "OTEL_SERVICE_NAME", serviceName);
        putIfUnset(env, userEnv, "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
        putIfUnset(env, userEnv, "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        return env;
    }

    private static void putIfUnset(Map<String, String> env, Map<String, String> userEnv, String name, String value) {
        String set = userEnv.get(name);
        if (set == null || set.isBlank()) env.put(name, value);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
