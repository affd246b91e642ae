package io.logflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
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

    /** Default head-sampling ratio of LogFlow's own traces ({@code LOGFLOW_OTEL_SAMPLE_RATIO}). */
    static final double DEFAULT_SAMPLE_RATIO = 0.1;

    /** What a traced LogFlow server gets: JVM options (the agent, the loop-breaking settings) and environment. */
    public record SelfTracing(List<String> jvmOptions, Map<String, String> environment) {
        public SelfTracing {
            jvmOptions = List.copyOf(jvmOptions);
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        }
    }

    /**
     * How LogFlow's own server runs with the agent, for {@code ./logflow up} and {@code ./logflow bench} alike
     * (docs/adr/011-self-tracing.md): {@link #selfTracingJvmOptions} and {@link #selfTracingEnvironment}.
     *
     * @param apiPort the server's real port: its own OTLP receiver is where its spans go by default
     */
    public static SelfTracing selfTracing(Path jar, Map<String, String> userEnv, int apiPort) {
        return new SelfTracing(selfTracingJvmOptions(jar), selfTracingEnvironment(userEnv, apiPort));
    }

    /**
     * The environment of a traced LogFlow server on top of {@link #defaultEnvironment}: a head sampler, parent-based
     * trace-id ratio ({@code OTEL_TRACES_SAMPLER=parentbased_traceidratio}) with the ratio from {@code
     * OTEL_TRACES_SAMPLER_ARG}, else {@code LOGFLOW_OTEL_SAMPLE_RATIO}, else {@value #DEFAULT_SAMPLE_RATIO}. An
     * unsampled request still gets a trace id (in {@code X-Trace-ID} and the log lines), but no span is recorded or
     * exported, so it is neither exported nor ingested again. Every one of these yields to the user's own {@code
     * OTEL_*} setting.
     */
    static Map<String, String> selfTracingEnvironment(Map<String, String> userEnv, int apiPort) {
        Map<String, String> env =
                new LinkedHashMap<>(defaultEnvironment(userEnv, "logflow", "http://127.0.0.1:" + apiPort));
        putIfUnset(env, userEnv, "OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
        putIfUnset(
                env,
                userEnv,
                "OTEL_TRACES_SAMPLER_ARG",
                formatRatio(sampleRatio(userEnv.get("LOGFLOW_OTEL_SAMPLE_RATIO"))));
        return env;
    }

    /** {@code LOGFLOW_OTEL_SAMPLE_RATIO}: a number from 0 to 1; {@value #DEFAULT_SAMPLE_RATIO} when unset. */
    static double sampleRatio(String value) {
        if (value == null || value.isBlank()) return DEFAULT_SAMPLE_RATIO;
        try {
            double r = Double.parseDouble(value.trim());
            if (r >= 0 && r <= 1) return r;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(
                "LOGFLOW_OTEL_SAMPLE_RATIO must be a number from 0 to 1, got '" + value + "'");
    }

    private static String formatRatio(double r) {
        return java.math.BigDecimal.valueOf(r).stripTrailingZeros().toPlainString();
    }

    /**
     * Whether LogFlow's server runs with the agent: the system property {@code logflow.otelAgent} ({@code false} from
     * {@code --no-agent}), else {@code LOGFLOW_OTEL_AGENT}, else on.
     */
    public static boolean enabled(String property, String env) {
        String v = property != null ? property : (env == null || env.isBlank() ? null : env);
        if (v == null) return true;
        v = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("true") || v.equals("on") || v.equals("1")) return true;
        if (v.equals("false") || v.equals("off") || v.equals("0")) return false;
        throw new IllegalArgumentException("LOGFLOW_OTEL_AGENT must be true or false, got '" + v + "'");
    }

    private static void putIfUnset(Map<String, String> env, Map<String, String> userEnv, String name, String value) {
        String set = userEnv.get(name);
        if (set == null || set.isBlank()) env.put(name, value);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
