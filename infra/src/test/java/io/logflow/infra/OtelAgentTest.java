package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtelAgentTest {
    @Test
    void selfTracing_attachesTheAgentWithLogflowsSamplerAndTheLoopBreakingSettings_andSamplesOneTraceInTen() {
        OtelAgent.SelfTracing t =
                OtelAgent.selfTracing(Path.of("/x/agent.jar"), Path.of("/x/sampler.jar"), Map.of(), 8080);
        assertThat(t.jvmOptions())
                .containsExactly(
                        "-javaagent:/x/agent.jar",
                        "-Dotel.javaagent.extensions=/x/sampler.jar",
                        "-Dotel.instrumentation.kafka.enabled=false",
                        "-Dotel.logs.exporter=none",
                        "-Dotel.metrics.exporter=none");
        String self = t.environment().get(OtelAgent.SELF_INGEST_TOKEN);
        assertThat(t.environment())
                .containsExactly(
                        Map.entry("OTEL_SERVICE_NAME", "logflow"),
                        Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:8080"),
                        Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                        Map.entry("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20" + self),
                        Map.entry(OtelAgent.SELF_INGEST_TOKEN, self),
                        Map.entry("OTEL_TRACES_SAMPLER", "logflow"),
                        Map.entry("OTEL_TRACES_SAMPLER_ARG", "0.1"));
    }

    @Test
    void samplerExtension_keepsTheUsersOwnExtensionsBesideIt() {
        OtelAgent.SelfTracing t = OtelAgent.selfTracing(
                Path.of("/x/agent.jar"),
                Path.of("/x/sampler.jar"),
                Map.of("OTEL_JAVAAGENT_EXTENSIONS", " /opt/mine.jar,/opt/more "),
                8080);
        assertThat(t.jvmOptions()).contains("-Dotel.javaagent.extensions=/x/sampler.jar,/opt/mine.jar,/opt/more");
    }

    @Test
    void samplerJar_failsClearly_whenMissingOrNotAJar(@TempDir Path dir) throws IOException {
        Path jar = Files.createFile(dir.resolve("logflow-otel-sampler-0.1.0-SNAPSHOT.jar"));
        assertThat(OtelAgent.requireSamplerJar(jar)).isEqualTo(jar);
        assertThatThrownBy(() -> OtelAgent.requireSamplerJar(dir.resolve("gone.jar")))
                .hasMessageContaining("sampler extension " + dir.resolve("gone.jar") + " is missing")
                .hasMessageContaining("-pl infra -am");
        // what a build that stopped before package records: the module's classes directory
        Path classes = Files.createDirectory(dir.resolve("classes"));
        assertThatThrownBy(() -> OtelAgent.requireSamplerJar(classes)).hasMessageContaining("is not a jar");
    }

    @Test
    void samplerJar_aCopyNamedBySystemProperty_winsOverTheRecordedOne(@TempDir Path dir) throws IOException {
        Path copy = Files.createFile(dir.resolve("logflow-otel-sampler.jar"));
        System.setProperty(OtelAgent.SAMPLER_JAR_PROPERTY, copy.toString());
        try {
            assertThat(OtelAgent.samplerJar()).isEqualTo(copy);
        } finally {
            System.clearProperty(OtelAgent.SAMPLER_JAR_PROPERTY);
        }
    }

    /**
     * The extension is compiled against the SDK version the parent pom names and runs on the agent's own SDK and
     * contrib samplers (provided): the agent must bundle that SDK and the contrib RuleBasedRoutingSampler, unrelocated.
     */
    @Test
    void agent_bundlesTheSdkAndTheContribSamplerTheExtensionIsBuiltAgainst() throws IOException {
        String sdk = System.getProperty("logflow.test.opentelemetrySdkVersion");
        assertThat(sdk)
                .as("system property logflow.test.opentelemetrySdkVersion (set by the build)")
                .isNotBlank();
        try (JarFile agent = new JarFile(OtelAgent.jar().toFile())) {
            Properties versions = new Properties();
            try (InputStream in =
                    agent.getInputStream(agent.getJarEntry("inst/io/opentelemetry/sdk/version.properties"))) {
                versions.load(in);
            }
            assertThat(versions.getProperty("sdk.version")).isEqualTo(sdk);
            for (String c : List.of("RuleBasedRoutingSampler", "RuleBasedRoutingSamplerBuilder")) {
                assertThat(agent.getJarEntry("inst/io/opentelemetry/contrib/sampler/" + c + ".classdata"))
                        .as(c)
                        .isNotNull();
            }
        }
    }

    @Test
    void sampleRatio_comesFromLogflowOtelSampleRatio_butTheStandardVariablesWin() {
        assertThat(OtelAgent.selfTracingEnvironment(Map.of("LOGFLOW_OTEL_SAMPLE_RATIO", "1"), 9000))
                .containsEntry("OTEL_TRACES_SAMPLER_ARG", "1");
        assertThat(OtelAgent.selfTracingEnvironment(Map.of("LOGFLOW_OTEL_SAMPLE_RATIO", "0.25"), 9000))
                .containsEntry("OTEL_TRACES_SAMPLER_ARG", "0.25");
        Map<String, String> user = Map.of(
                "LOGFLOW_OTEL_SAMPLE_RATIO", "0.25",
                "OTEL_TRACES_SAMPLER_ARG", "0.5",
                "OTEL_TRACES_SAMPLER", "always_on",
                "OTEL_SERVICE_NAME", "mine");
        // the user's own OTEL_* reach the agent through the inherited environment: nothing set here hides them
        assertThat(OtelAgent.selfTracingEnvironment(user, 9000))
                .doesNotContainKeys("OTEL_TRACES_SAMPLER_ARG", "OTEL_TRACES_SAMPLER", "OTEL_SERVICE_NAME");
        assertThat(OtelAgent.selfTracingEnvironment(Map.of("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"), 9000))
                .doesNotContainKey("OTEL_TRACES_SAMPLER")
                .containsEntry("OTEL_TRACES_SAMPLER_ARG", "0.1");
    }

    /** Its own receiver takes only tokens: the agent and the server share a fresh one; a user's endpoint gets none. */
    @Test
    void ownReceiver_getsAFreshSelfToken_aUsersEndpointOrHeadersNone() {
        Map<String, String> one = OtelAgent.selfTracingEnvironment(Map.of(), 9000);
        Map<String, String> two = OtelAgent.selfTracingEnvironment(Map.of(), 9000);
        String token = one.get(OtelAgent.SELF_INGEST_TOKEN);
        assertThat(token).matches("lfs_[A-Za-z0-9_-]{43}");
        assertThat(one).containsEntry("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20" + token);
        assertThat(two.get(OtelAgent.SELF_INGEST_TOKEN)).isNotEqualTo(token);
        for (Map<String, String> user : List.of(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"),
                Map.of("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20lf_mine"))) {
            assertThat(OtelAgent.selfTracingEnvironment(user, 9000))
                    .as(user.toString())
                    .doesNotContainKeys(OtelAgent.SELF_INGEST_TOKEN, "OTEL_EXPORTER_OTLP_HEADERS");
        }
    }

    @Test
    void sampleRatio_mustBeFromZeroToOne() {
        assertThat(OtelAgent.sampleRatio(null)).isEqualTo(0.1);
        assertThat(OtelAgent.sampleRatio(" 0 ")).isZero();
        assertThatThrownBy(() -> OtelAgent.sampleRatio("1.5")).hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> OtelAgent.sampleRatio("ten")).hasMessageContaining("got 'ten'");
    }

    @Test
    void enabled_byDefault_offByPropertyOrEnvironment_propertyFirst() {
        assertThat(OtelAgent.enabled(null, null)).isTrue();
        assertThat(OtelAgent.enabled(null, " ")).isTrue();
        assertThat(OtelAgent.enabled("false", null)).isFalse();
        assertThat(OtelAgent.enabled(null, "off")).isFalse();
        assertThat(OtelAgent.enabled("true", "false")).isTrue();
        assertThatThrownBy(() -> OtelAgent.enabled(null, "maybe")).hasMessageContaining("true or false");
    }
}
