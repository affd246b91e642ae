package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelAgentTest {
    @Test
    void selfTracing_attachesTheAgentWithTheLoopBreakingSettings_andSamplesOneTraceInTen() {
        OtelAgent.SelfTracing t = OtelAgent.selfTracing(Path.of("/x/agent.jar"), Map.of(), 8080);
        assertThat(t.jvmOptions())
                .containsExactly(
                        "-javaagent:/x/agent.jar",
                        "-Dotel.instrumentation.kafka.enabled=false",
                        "-Dotel.logs.exporter=none",
                        "-Dotel.metrics.exporter=none");
        assertThat(t.environment())
                .containsExactly(
                        Map.entry("OTEL_SERVICE_NAME", "logflow"),
                        Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:8080"),
                        Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                        Map.entry("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                        Map.entry("OTEL_TRACES_SAMPLER_ARG", "0.1"));
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
