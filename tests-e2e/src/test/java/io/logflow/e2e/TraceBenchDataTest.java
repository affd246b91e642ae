package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.SpanRecord;
import io.logflow.model.otlp.OtlpSpans;
import io.logflow.model.otlp.OtlpValidation;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The trace benchmark's data: realistic traces, and the same spans in both wire formats. */
class TraceBenchDataTest {
    private static final long T0 = 1_795_428_930_000_000_000L;

    private static List<TraceGenerator.Trace> traces(int n) {
        TraceGenerator gen = new TraceGenerator(11);
        List<TraceGenerator.Trace> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(gen.next(T0 + i * 1_000_000L));
        return out;
    }

    @Test
    void traces_haveAboutTenSpans_oneRoot_parentsInTheTrace_childrenInsideTheirCallers() {
        List<TraceGenerator.Trace> traces = traces(2_000);
        long spans = 0;
        int withError = 0;
        Set<TraceGenerator.Kind> kinds = new HashSet<>();
        Set<String> services = new HashSet<>();
        for (TraceGenerator.Trace t : traces) {
            spans += t.spans().size();
            Map<String, TraceGenerator.Span> byId = new HashMap<>();
            for (TraceGenerator.Span s : t.spans()) byId.put(s.spanIdHex(), s);
            assertThat(byId).hasSameSizeAs(t.spans());
            assertThat(t.spans().stream().filter(s -> s.parentId() == null)).hasSize(1);
            for (TraceGenerator.Span s : t.spans()) {
                assertThat(s.traceIdHex()).isEqualTo(t.traceId());
                assertThat(s.endNanos()).isGreaterThan(s.startNanos());
                kinds.add(s.kind());
                services.add(s.service());
                if (s.parentId() == null) continue;
                TraceGenerator.Span parent = byId.get(s.parentIdHex());
                assertThat(parent).as("parent of %s", s.name()).isNotNull();
                if (s.kind() != TraceGenerator.Kind.CONSUMER) { // a message is consumed after its producer ends
                    assertThat(s.startNanos()).isGreaterThanOrEqualTo(parent.startNanos());
                    assertThat(s.endNanos()).isLessThanOrEqualTo(parent.endNanos());
                }
                if (s.kind() == TraceGenerator.Kind.SERVER) {
                    assertThat(parent.kind()).isEqualTo(TraceGenerator.Kind.CLIENT);
                    assertThat(parent.remoteService()).isEqualTo(s.service());
                    assertThat(s.error()).isEqualTo(parent.error()); // a failed callee is a failed call
                }
            }
            // exported as an SDK does: in the order spans end
            for (int i = 1; i < t.spans().size(); i++)
                assertThat(t.spans().get(i).endNanos())
                        .isGreaterThanOrEqualTo(t.spans().get(i - 1).endNanos());
            if (t.spans().stream().anyMatch(TraceGenerator.Span::error)) withError++;
        }
        assertThat((double) spans / traces.size()).isBetween(8.5, 11.5);
        assertThat((double) withError / traces.size()).isBetween(0.01, 0.10);
        assertThat(kinds).containsExactlyInAnyOrder(TraceGenerator.Kind.values());
        assertThat(services).containsExactlyInAnyOrderElementsOf(TraceGenerator.SERVICES);
    }

    @Test
    void generator_isDeterministicForASeed() {
        assertThat(new TraceGenerator(5).next(T0).traceId())
                .isEqualTo(new TraceGenerator(5).next(T0).traceId());
    }

    @Test
    void otlpBatch_isValid_andDecodesToTheGeneratedSpans() throws Exception {
        List<TraceGenerator.Span> spans = traces(30).stream()
                .flatMap(t -> t.spans().stream())
                .limit(TraceBench.BATCH_SPANS)
                .toList();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(TraceEncoding.otlp(spans));
        assertThat(OtlpValidation.validate(request).rejected()).isZero();
        Map<String, SpanRecord> decoded = new HashMap<>();
        for (SpanRecord r : OtlpSpans.toSpanRecords(request)) decoded.put(r.spanId(), r);
        assertThat(decoded).hasSize(spans.size());
        for (TraceGenerator.Span s : spans) {
            SpanRecord r = decoded.get(s.spanIdHex());
            assertThat(r.traceId()).isEqualTo(s.traceIdHex());
            assertThat(r.parentSpanId()).isEqualTo(s.parentIdHex());
            assertThat(r.service()).isEqualTo(s.service());
            assertThat(r.name()).isEqualTo(s.name());
            assertThat(r.kind().name()).isEqualTo(s.kind().name());
            assertThat(r.startNanos()).isEqualTo(s.startNanos());
            assertThat(r.durationNanos()).isEqualTo(s.endNanos() - s.startNanos());
            assertThat(r.isError()).isEqualTo(s.error());
            assertThat(r.attributes()).isEqualTo(s.attributes());
            assertThat(r.resource()).containsEntry("service.version", "1.4.2");
        }
    }

    @Test
    void zipkinBatch_holdsTheSameSpans_inZipkinV2Json() {
        List<TraceGenerator.Span> spans = traces(30).stream()
                .flatMap(t -> t.spans().stream())
                .limit(TraceBench.BATCH_SPANS)
                .toList();
        JsonNode array = Api.JSON.readTree(TraceEncoding.zipkin(spans));
        assertThat(array.size()).isEqualTo(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            TraceGenerator.Span s = spans.get(i);
            JsonNode z = array.get(i);
            assertThat(z.get("traceId").asString()).isEqualTo(s.traceIdHex());
            assertThat(z.get("id").asString()).isEqualTo(s.spanIdHex());
            assertThat(z.has("parentId")).isEqualTo(s.parentId() != null);
            assertThat(z.get("timestamp").asLong()).isEqualTo(s.startNanos() / 1_000);
            assertThat(z.get("duration").asLong()).isPositive();
            assertThat(z.get("localEndpoint").get("serviceName").asString()).isEqualTo(s.service());
            assertThat(z.has("kind")).isEqualTo(s.kind() != TraceGenerator.Kind.INTERNAL);
            assertThat(z.get("tags").has("error")).isEqualTo(s.error());
            s.attributes()
                    .forEach((k, v) ->
                            assertThat(z.get("tags").get(k).asString()).isEqualTo(v));
        }
    }

    @Test
    void batches_holdEverySpanOnce_inBatchesOfAHundred() {
        List<TraceGenerator.Trace> traces = traces(100);
        List<TraceBench.Batch> batches = TraceBench.batches(traces);
        long spans = traces.stream().mapToLong(t -> t.spans().size()).sum();
        assertThat(batches.stream().mapToLong(TraceBench.Batch::spans).sum()).isEqualTo(spans);
        assertThat(batches.subList(0, batches.size() - 1)).allMatch(b -> b.spans() == TraceBench.BATCH_SPANS);
        Map<String, Integer> byTrace = new HashMap<>();
        batches.forEach(b -> b.spansByTrace().forEach((t, n) -> byTrace.merge(t, n, Integer::sum)));
        for (TraceGenerator.Trace t : traces)
            assertThat(byTrace.get(t.traceId())).isEqualTo(t.spans().size());
    }

    @Test
    void checkIds_areTheLastTraceOfEveryBatch_atMostFiveHundredSpreadOverTheRun() {
        List<TraceBench.Batch> batches = new ArrayList<>();
        for (int i = 0; i < 2_069; i++)
            batches.add(new TraceBench.Batch(new byte[0], new byte[0], 100, Map.of(), Map.of(), "t" + i));
        List<String> ids = TraceBench.checkIds(batches);
        assertThat(ids)
                .hasSizeBetween(400, TraceBench.MAX_CHECKED)
                .contains("t2068", "t3")
                .doesNotHaveDuplicates();
        assertThat(TraceBench.checkIds(batches.subList(0, 300))).hasSize(300);
    }

    @Test
    void cli_flagsTakeNoValue() {
        Cli cli = new Cli(
                "bench", new String[] {"--skip-logs", "--traces", "500"}, Set.of("--skip-logs", "--skip-traces"));
        assertThat(cli.flag("--skip-logs")).isTrue();
        assertThat(cli.flag("--skip-traces")).isFalse();
        assertThat(cli.integer("--traces", 1)).isEqualTo(500);
        cli.done();
    }
}
