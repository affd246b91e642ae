package io.logflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry Java agent ({@code io.opentelemetry.javaagent:opentelemetry-javaagent}) as the
 * child JVMs started here use it: LogFlow's own server ({@code ./logflow up}, see
 * docs/adr/011-self-tracing.md) and the demo services ({@code ./logflow demo}). The build downloads
 * the jar and records its path in this module's jar; it is never on a classpath. LogFlow's server also gets
 * LogFlow's sampler, an agent extension jar built by {@code infra/otel-sampler} and recorded the same way
 * (docs/adr/019-route-aware-self-sampling.md).
 */
public final class OtelAgent {
    private static final String PATH_RESOURCE = "opentelemetry-javaagent.path";
    private static final String SAMPLER_PATH_RESOURCE = "logflow-otel-sampler.path";
    /**
     * System property naming the sampler extension jar to use instead of the recorded one: {@code ./logflow} passes
     * its copy in {@code .logflow/run}, so a rebuild never rewrites the jar under a running server.
     */
    public static final String SAMPLER_JAR_PROPERTY = "logflow.otelSamplerJar";
    /** The value of {@code OTEL_TRACES_SAMPLER} that selects LogFlow's sampler (the extension's provider name). */
    static final String SAMPLER = "logflow";

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
        Path jar = recordedPath(PATH_RESOURCE);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the OpenTelemetry agent " + jar
                    + " is missing: rebuild (./mvnw -B -DskipTests package -pl infra -am)");
        }
        return jar;
    }

    /**
     * LogFlow's sampler, the agent extension jar of {@code infra/otel-sampler}: the one the system property {@value
     * #SAMPLER_JAR_PROPERTY} names, else the one recorded at build time. Fails clearly when it is missing or not a jar
     * (a build that stopped before {@code package} records the module's classes directory, which the agent cannot
     * load).
     */
    public static Path samplerJar() {
        String named = System.getProperty(SAMPLER_JAR_PROPERTY);
        return requireSamplerJar(
                named == null || named.isBlank() ? recordedPath(SAMPLER_PATH_RESOURCE) : Path.of(named.trim()));
    }

    static Path requireSamplerJar(Path jar) {
        if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
            throw new IllegalStateException("LogFlow's sampler extension " + jar + " is "
                    + (Files.exists(jar) ? "not a jar" : "missing")
                    + ": rebuild (./mvnw -B -DskipTests package -pl infra -am)");
        }
        return jar;
    }

    /** A path this module's build wrote into a resource beside this class. */
    private static Path recordedPath(String resource) {
        try (InputStream in = OtelAgent.class.getResourceAsStream(resource)) {
            if (in == null)
                throw new IllegalStateException(resource + " is missing: build the infra module with Maven");
            return Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code -javaagent:<jar>} */
    public static String javaagentOption(Path jar) {
        return "-javaagent:" + jar.toAbsolutePath();
    }

    /**
     * JVM options that attach the agent to LogFlow's own server, with LogFlow's sampler as an extension and the
     * loop-breaking settings. The extension is a system property, so it is loaded whatever the environment says; an
     * {@code OTEL_JAVAAGENT_EXTENSIONS} of the user's is kept beside it (the property would hide it otherwise).
     */
    static List<String> selfTracingJvmOptions(Path agentJar, Path samplerJar, Map<String, String> userEnv) {
        String extensions = samplerJar.toAbsolutePath().toString();
        String users = userEnv.get("OTEL_JAVAAGENT_EXTENSIONS");
        if (users != null && !users.isBlank()) extensions += "," + users.trim();
        return concat(
                List.of(javaagentOption(agentJar), "-Dotel.javaagent.extensions=" + extensions),
                SELF_TRACING_PROPERTIES);
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

    /**
     * The variable that tells the server the token its own agent sends to its own OTLP receiver (the server's
     * {@code auth.Gate} accepts it on the ingest routes beside the ingest tokens an admin makes).
     */
    public static final String SELF_INGEST_TOKEN = "LOGFLOW_SELF_INGEST_TOKEN";

    /** {@code lfs_} and 32 random bytes, base64url: a new one for each start of the server. */
    static String selfIngestToken() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return "lfs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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
     * (docs/adr/011-self-tracing.md): {@link #selfTracingJvmOptions} and {@link #selfTracingEnvironment}, with the
     * agent jar and LogFlow's sampler extension this build recorded ({@link #jar()}, {@link #samplerJar()}).
     *
     * @param apiPort the server's real port: its own OTLP receiver is where its spans go by default
     */
    public static SelfTracing selfTracing(Map<String, String> userEnv, int apiPort) {
        return selfTracing(jar(), samplerJar(), userEnv, apiPort);
    }

    /** {@link #selfTracing(Map, int)} with these jars. */
    public static SelfTracing selfTracing(Path agentJar, Path samplerJar, Map<String, String> userEnv, int apiPort) {
        return new SelfTracing(
                selfTracingJvmOptions(agentJar, samplerJar, userEnv), selfTracingEnvironment(userEnv, apiPort));
    }

    /**
     * The environment of a traced LogFlow server on top of {@link #defaultEnvironment}: LogFlow's head sampler ({@code
     * OTEL_TRACES_SAMPLER=logflow}, docs/adr/019-route-aware-self-sampling.md) — never health, metrics or its own OTLP
     * receiver, instance-to-instance reads only under a sampled parent, every other request parent-based with the
     * trace-id ratio of {@code OTEL_TRACES_SAMPLER_ARG}, else {@code LOGFLOW_OTEL_SAMPLE_RATIO}, else {@value
     * #DEFAULT_SAMPLE_RATIO}. An unsampled request still gets a trace id (in {@code X-Trace-ID} and the log lines), but
     * no span is recorded or exported, so it is neither exported nor ingested again. Every one of these yields to the
     * user's own {@code OTEL_*} setting ({@code OTEL_TRACES_SAMPLER=parentbased_traceidratio} is the sampler before
     * ADR 019, routes included). Exporting to its own receiver (no {@code OTEL_EXPORTER_OTLP_ENDPOINT} of the user's),
     * the agent sends a fresh {@link #SELF_INGEST_TOKEN} the server accepts, unless the user set
     * {@code OTEL_EXPORTER_OTLP_HEADERS} (an ingest token of their own).
     */
    static Map<String, String> selfTracingEnvironment(Map<String, String> userEnv, int apiPort) {
        Map<String, String> env =
                new LinkedHashMap<>(defaultEnvironment(userEnv, "logflow", "http://127.0.0.1:" + apiPort));
        boolean ownReceiver = blank(userEnv.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
                && blank(userEnv.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        if (ownReceiver && blank(userEnv.get("OTEL_EXPORTER_OTLP_HEADERS"))) {
            // its own receiver takes ingest tokens only (ADR 027): a fresh secret per start, known to the server and
            // its agent alone, never sent anywhere else (a user's own endpoint gets the user's own headers)
            String token = selfIngestToken();
            env.put("OTEL_EXPORTER_OTLP_HEADERS", LocalAccess.otlpHeaders(token));
            env.put(SELF_INGEST_TOKEN, token);
        }
        putIfUnset(env, userEnv, "OTEL_TRACES_SAMPLER", SAMPLER);
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
