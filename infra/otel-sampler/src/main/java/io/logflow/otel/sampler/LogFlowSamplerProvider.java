package io.logflow.otel.sampler;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * {@code OTEL_TRACES_SAMPLER=logflow} (or {@code -Dotel.traces.sampler=logflow}): {@link LogFlowSampler} with the ratio
 * of {@code OTEL_TRACES_SAMPLER_ARG} / {@code otel.traces.sampler.arg}, {@value #DEFAULT_RATIO} when unset (LogFlow's
 * default, as for {@code LOGFLOW_OTEL_SAMPLE_RATIO}). Found by the agent through {@code
 * META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider} in this jar, once the
 * jar is an agent extension ({@code -Dotel.javaagent.extensions=<jar>}).
 */
public final class LogFlowSamplerProvider implements ConfigurableSamplerProvider {
    /** The value of {@code otel.traces.sampler} that selects this sampler. */
    public static final String NAME = "logflow";

    static final String RATIO_PROPERTY = "otel.traces.sampler.arg";
    static final double DEFAULT_RATIO = 0.1;

    @Override
    public Sampler createSampler(ConfigProperties config) {
        Double ratio = config.getDouble(RATIO_PROPERTY); // a ConfigurationException when it is not a number
        double r = ratio == null ? DEFAULT_RATIO : ratio;
        if (!(r >= 0 && r <= 1)) {
            throw new ConfigurationException(
                    RATIO_PROPERTY + " must be from 0 to 1 for the " + NAME + " sampler, got " + ratio);
        }
        return LogFlowSampler.create(r);
    }

    @Override
    public String getName() {
        return NAME;
    }
}
