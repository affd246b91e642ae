package io.logflow.otel.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFlowSamplerProviderTest {
    final LogFlowSamplerProvider provider = new LogFlowSamplerProvider();

    @Test
    void isNamedLogflow() {
        assertThat(provider.getName()).isEqualTo("logflow");
    }

    @Test
    void ratio_comesFromTheSamplerArgument_defaultOneInTen() {
        assertThat(provider.createSampler(config(Map.of("otel.traces.sampler.arg", "0.25")))
                        .getDescription())
                .startsWith("LogFlowSampler{ratio=0.25,");
        assertThat(provider.createSampler(config(Map.of())).getDescription()).startsWith("LogFlowSampler{ratio=0.1,");
    }

    @Test
    void ratio_outsideZeroToOne_orNotANumber_failsTheConfiguration() {
        assertThatThrownBy(() -> provider.createSampler(config(Map.of("otel.traces.sampler.arg", "2"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("otel.traces.sampler.arg must be from 0 to 1 for the logflow sampler, got 2");
        assertThatThrownBy(() -> provider.createSampler(config(Map.of("otel.traces.sampler.arg", "ten"))))
                .isInstanceOf(ConfigurationException.class);
    }

    /** What the agent does with OTEL_TRACES_SAMPLER=logflow: the SDK's autoconfiguration finds the provider by name. */
    @Test
    void sdkAutoconfiguration_findsItThroughItsServiceFile() {
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .disableShutdownHook()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.traces.sampler", "logflow",
                        "otel.traces.sampler.arg", "0.5",
                        "otel.traces.exporter", "none",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .build()
                .getOpenTelemetrySdk();
        try {
            assertThat(sdk.getSdkTracerProvider().getSampler().getDescription())
                    .startsWith("LogFlowSampler{ratio=0.5,");
        } finally {
            sdk.close();
        }
    }

    private static DefaultConfigProperties config(Map<String, String> properties) {
        return DefaultConfigProperties.createFromMap(properties);
    }
}
