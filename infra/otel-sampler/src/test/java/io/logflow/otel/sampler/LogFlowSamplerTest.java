package io.logflow.otel.sampler;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFlowSamplerTest {
    static final AttributeKey<String> URL_PATH = stringKey("url.path");
    static final AttributeKey<String> HTTP_TARGET = stringKey("http.target");
    static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");

    /** Its random part (the last 16 hex digits) is 1: sampled by any ratio above 0. */
    static final String LOW_TRACE_ID = "4bf92f3577b34da60000000000000001";
    /** Its random part is near the largest (the largest itself is outside even ratio 1's bound): only ratio 1. */
    static final String HIGH_TRACE_ID = "4bf92f3577b34da67ffffffffffffff0";

    static final Context ROOT = Context.root();
    static final Context SAMPLED_REMOTE_PARENT = parent(TraceFlags.getSampled(), true);
    static final Context UNSAMPLED_REMOTE_PARENT = parent(TraceFlags.getDefault(), true);
    static final Context SAMPLED_LOCAL_PARENT = parent(TraceFlags.getSampled(), false);
    static final Context UNSAMPLED_LOCAL_PARENT = parent(TraceFlags.getDefault(), false);

    /** Every other route traced: what is dropped below is dropped by a rule, not by the ratio. */
    final Sampler all = LogFlowSampler.create(1);

    @Test
    void health_isNeverSampled_notEvenUnderASampledParent() {
        assertNeverSampled("/health");
    }

    @Test
    void actuator_andEverythingUnderIt_areNeverSampled() {
        assertNeverSampled("/actuator");
        assertNeverSampled("/actuator/prometheus");
        assertNeverSampled("/actuator/health/liveness");
    }

    @Test
    void logflowsOwnOtlpReceiver_isNeverSampled() {
        assertNeverSampled("/v1/traces");
        assertNeverSampled("/v1/logs");
        assertNeverSampled("/v1/metrics");
    }

    @Test
    void internalReads_withoutAParent_areDropped_underAParent_followIt() {
        for (String path : List.of("/internal/v1/recent", "/internal/v1/span-metrics", "/internal")) {
            assertThat(decision(all, ROOT, SpanKind.SERVER, URL_PATH, path))
                    .as(path + " without a parent")
                    .isEqualTo(SamplingDecision.DROP);
            assertThat(decision(all, UNSAMPLED_REMOTE_PARENT, SpanKind.SERVER, URL_PATH, path))
                    .as(path + " under an unsampled remote parent")
                    .isEqualTo(SamplingDecision.DROP);
            assertThat(decision(all, UNSAMPLED_LOCAL_PARENT, SpanKind.SERVER, URL_PATH, path))
                    .as(path + " under an unsampled local parent")
                    .isEqualTo(SamplingDecision.DROP);
            assertThat(decision(all, SAMPLED_REMOTE_PARENT, SpanKind.SERVER, URL_PATH, path))
                    .as(path + " forwarded by a traced query (traceparent)")
                    .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
            assertThat(decision(all, SAMPLED_LOCAL_PARENT, SpanKind.SERVER, URL_PATH, path))
                    .as(path + " under a sampled local parent")
                    .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        }
        // the ratio plays no part: a sampled parent is followed even when LogFlow starts no trace of its own
        assertThat(decision(
                        LogFlowSampler.create(0), SAMPLED_REMOTE_PARENT, SpanKind.SERVER, URL_PATH, "/internal/v1/x"))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @Test
    void olderSemanticConventions_httpTargetWithItsQuery_andHttpRoute_areReadToo() {
        assertThat(decision(all, SAMPLED_REMOTE_PARENT, SpanKind.SERVER, HTTP_TARGET, "/health"))
                .isEqualTo(SamplingDecision.DROP);
        assertThat(decision(all, ROOT, SpanKind.SERVER, HTTP_TARGET, "/actuator/prometheus?name=jvm"))
                .isEqualTo(SamplingDecision.DROP);
        assertThat(decision(all, ROOT, SpanKind.SERVER, HTTP_TARGET, "/internal/v1/recent?service=a&limit=5"))
                .isEqualTo(SamplingDecision.DROP);
        assertThat(decision(all, SAMPLED_REMOTE_PARENT, SpanKind.SERVER, HTTP_TARGET, "/internal/v1/recent?limit=5"))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decision(all, ROOT, SpanKind.SERVER, HTTP_ROUTE, "/v1/traces"))
                .isEqualTo(SamplingDecision.DROP);
        assertThat(decision(all, ROOT, SpanKind.SERVER, HTTP_ROUTE, "/internal/v1/{view}"))
                .isEqualTo(SamplingDecision.DROP);
        assertThat(decision(all, ROOT, SpanKind.SERVER, HTTP_TARGET, "/api/v1/logs/recent?service=health"))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @Test
    void lookalikes_areSampledLikeAnyRoute() {
        for (String path : List.of(
                "/healthz",
                "/health/x",
                "/api/health",
                "/actuators",
                "/v1/tracesx",
                "/v1/traces/x",
                "/v2/traces",
                "/api/v1/logs",
                "/api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736",
                "/internals",
                "/api/internal/v1/recent",
                "/")) {
            assertThat(decision(all, ROOT, SpanKind.SERVER, URL_PATH, path))
                    .as(path)
                    .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        }
    }

    @Test
    void onlyServerSpansAreRouted_otherKindsFollowTheRatio() {
        for (SpanKind kind : List.of(SpanKind.CLIENT, SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER)) {
            assertThat(decision(all, ROOT, kind, URL_PATH, "/health"))
                    .as(kind.name())
                    .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        }
    }

    @Test
    void everyOtherSpan_isParentBasedTraceIdRatio() {
        Sampler tenth = LogFlowSampler.create(0.1);
        Attributes api = Attributes.of(URL_PATH, "/api/v1/services");
        assertThat(sample(tenth, ROOT, LOW_TRACE_ID, SpanKind.SERVER, api))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(sample(tenth, ROOT, HIGH_TRACE_ID, SpanKind.SERVER, api)).isEqualTo(SamplingDecision.DROP);
        assertThat(sample(tenth, ROOT, HIGH_TRACE_ID, SpanKind.SERVER, Attributes.empty()))
                .as("a server span without a path")
                .isEqualTo(SamplingDecision.DROP);
        assertThat(sample(LogFlowSampler.create(1), ROOT, HIGH_TRACE_ID, SpanKind.SERVER, api))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(sample(LogFlowSampler.create(0), ROOT, LOW_TRACE_ID, SpanKind.SERVER, api))
                .isEqualTo(SamplingDecision.DROP);
        // a caller's decision wins over the ratio, both ways
        assertThat(sample(LogFlowSampler.create(0), SAMPLED_REMOTE_PARENT, LOW_TRACE_ID, SpanKind.SERVER, api))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(sample(all, UNSAMPLED_REMOTE_PARENT, LOW_TRACE_ID, SpanKind.SERVER, api))
                .isEqualTo(SamplingDecision.DROP);
        assertThat(sample(LogFlowSampler.create(0), SAMPLED_LOCAL_PARENT, LOW_TRACE_ID, SpanKind.CLIENT, api))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(sample(all, UNSAMPLED_LOCAL_PARENT, LOW_TRACE_ID, SpanKind.CLIENT, api))
                .isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void ratio_mustBeFromZeroToOne() {
        assertThatThrownBy(() -> LogFlowSampler.create(1.5)).hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> LogFlowSampler.create(-0.1)).hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> LogFlowSampler.create(Double.NaN)).hasMessageContaining("from 0 to 1");
        assertThat(LogFlowSampler.create(0.25).getDescription()).startsWith("LogFlowSampler{ratio=0.25,");
    }

    /** Dropped at ratio 1, with no parent, under sampled and unsampled parents, by each attribute that may hold it. */
    private void assertNeverSampled(String path) {
        for (AttributeKey<String> key : LogFlowSampler.PATH_KEYS) {
            for (Map.Entry<String, Context> parent : Map.of(
                            "no parent", ROOT,
                            "a sampled remote parent", SAMPLED_REMOTE_PARENT,
                            "an unsampled remote parent", UNSAMPLED_REMOTE_PARENT,
                            "a sampled local parent", SAMPLED_LOCAL_PARENT)
                    .entrySet()) {
                assertThat(decision(all, parent.getValue(), SpanKind.SERVER, key, path))
                        .as(key + "=" + path + " under " + parent.getKey())
                        .isEqualTo(SamplingDecision.DROP);
            }
        }
    }

    private static SamplingDecision decision(
            Sampler sampler, Context parent, SpanKind kind, AttributeKey<String> key, String value) {
        return sample(sampler, parent, LOW_TRACE_ID, kind, Attributes.of(key, value));
    }

    private static SamplingDecision sample(
            Sampler sampler, Context parent, String traceId, SpanKind kind, Attributes attributes) {
        return sampler.shouldSample(parent, traceId, "GET", kind, attributes, List.of())
                .getDecision();
    }

    private static Context parent(TraceFlags flags, boolean remote) {
        String traceId = LOW_TRACE_ID;
        String spanId = "00f067aa0ba902b7";
        SpanContext context = remote
                ? SpanContext.createFromRemoteParent(traceId, spanId, flags, TraceState.getDefault())
                : SpanContext.create(traceId, spanId, flags, TraceState.getDefault());
        return Context.root().with(Span.wrap(context));
    }
}
