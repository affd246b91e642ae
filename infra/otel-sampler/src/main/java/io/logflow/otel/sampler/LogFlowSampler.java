package io.logflow.otel.sampler;

import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.contrib.sampler.RuleBasedRoutingSampler;
import io.opentelemetry.contrib.sampler.RuleBasedRoutingSamplerBuilder;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * The head sampler of LogFlow's own traces (docs/adr/019-route-aware-self-sampling.md): parent-based trace-id ratio,
 * except for the server spans of routes that are not worth a trace.
 *
 * <ul>
 *   <li>Never sampled, whatever the parent: {@code /health}, {@code /actuator} and everything under it (probes and
 *       scrapes), and LogFlow's own OTLP receiver {@code /v1/traces}, {@code /v1/logs}, {@code /v1/metrics} (a traced
 *       export request is a span that is exported and ingested again).
 *   <li>{@code /internal} and everything under it (one instance asking another for its part of a query): sampled only
 *       under a sampled parent, so a traced query stays one trace across instances; never a trace of its own.
 *   <li>Every other span: {@code parentbased(traceidratio(ratio))}, as {@code
 *       OTEL_TRACES_SAMPLER=parentbased_traceidratio} does.
 * </ul>
 *
 * <p>The path is read from the attributes an HTTP server instrumentation sets when it starts the span, which is when
 * the sampler runs: {@code url.path} (stable HTTP semantic conventions, the agent's default), else {@code
 * http.target} (older conventions; path and query) or {@code http.route} when present. Matching is exact: {@code
 * /healthz} or {@code /api/v1/logs} are sampled like any route. The matching itself is the contrib {@link
 * RuleBasedRoutingSampler}, which the agent bundles.
 */
public final class LogFlowSampler implements Sampler {
    /** Where a server span's path may be, in the order they are tried. */
    static final List<AttributeKey<String>> PATH_KEYS =
            List.of(stringKey("url.path"), stringKey("http.target"), stringKey("http.route"));

    /** Nothing more, or a query string ({@code http.target} carries one). */
    private static final String END = "(?:\\?.*)?$";
    /** Health, metrics, LogFlow's own OTLP receiver: never traced. */
    static final String NEVER = "^/(?:health|actuator(?:/.*)?|v1/(?:traces|logs|metrics))" + END;
    /** Instance-to-instance reads: traced only as part of a sampled trace. */
    static final String INTERNAL = "^/internal(?:/.*)?" + END;

    private final double ratio;
    private final Sampler delegate;

    private LogFlowSampler(double ratio) {
        this.ratio = ratio;
        RuleBasedRoutingSamplerBuilder rules =
                RuleBasedRoutingSampler.builder(SpanKind.SERVER, Sampler.parentBased(Sampler.traceIdRatioBased(ratio)));
        for (AttributeKey<String> key : PATH_KEYS) rules.drop(key, NEVER);
        // no parent: off; a parent: its decision, remote or local
        Sampler onlyUnderASampledParent = Sampler.parentBased(Sampler.alwaysOff());
        for (AttributeKey<String> key : PATH_KEYS) rules.customize(key, INTERNAL, onlyUnderASampledParent);
        this.delegate = rules.build();
    }

    /**
     * @param ratio share of the traces LogFlow starts itself (no parent) that are sampled, from 0 to 1
     * @throws IllegalArgumentException for a ratio outside 0..1
     */
    public static LogFlowSampler create(double ratio) {
        if (!(ratio >= 0 && ratio <= 1))
            throw new IllegalArgumentException("the ratio must be from 0 to 1, got " + ratio);
        return new LogFlowSampler(ratio);
    }

    @Override
    public SamplingResult shouldSample(
            Context parentContext,
            String traceId,
            String name,
            SpanKind spanKind,
            Attributes attributes,
            List<LinkData> parentLinks) {
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "LogFlowSampler{ratio=" + ratio + ", never: /health /actuator/** /v1/traces /v1/logs /v1/metrics, "
                + "/internal/** only under a sampled parent, else parentbased(traceidratio)}";
    }

    @Override
    public String toString() {
        return getDescription();
    }
}
