package io.logflow.api.query;

import static io.logflow.api.TestObjects.GATEWAY;
import static io.logflow.api.TestObjects.LOG_ERROR;
import static io.logflow.api.TestObjects.LOG_INFO;
import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.ORDERS_DB_SPAN;
import static io.logflow.api.TestObjects.ORDERS_DB_SPAN_ID;
import static io.logflow.api.TestObjects.ORDERS_SPAN;
import static io.logflow.api.TestObjects.ORDERS_SPAN_ID;
import static io.logflow.api.TestObjects.PAYMENTS;
import static io.logflow.api.TestObjects.PAYMENTS_SPAN;
import static io.logflow.api.TestObjects.PAYMENTS_SPAN_ID;
import static io.logflow.api.TestObjects.ROOT;
import static io.logflow.api.TestObjects.ROOT_SPAN_ID;
import static io.logflow.api.TestObjects.T0_NANOS;
import static io.logflow.api.TestObjects.TRACE;
import static io.logflow.api.TestObjects.TRACE_ID;
import static io.logflow.api.TestObjects.TRACE_SUMMARY;
import static io.logflow.api.TestObjects.log;
import static io.logflow.api.TestObjects.span;
import static io.logflow.model.Level.DEBUG;
import static io.logflow.model.Level.WARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.logflow.api.query.TraceAssembly.SegmentView;
import io.logflow.api.query.TraceAssembly.SpanView;
import io.logflow.api.query.TraceAssembly.TraceLogView;
import io.logflow.api.query.TraceAssembly.TraceView;
import io.logflow.api.query.TraceStores.SpansPart;
import io.logflow.model.CriticalPath.Segment;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceAssemblyTest {
    static TraceView assemble(List<SpanRecord> spans, List<Segment> criticalPath, List<LogRecord> logs) {
        return TraceAssembly.assemble(
                TRACE_ID, new SpansPart(Set.of(0), spans, TRACE_SUMMARY, criticalPath), logs, TraceAssembly.STREAM);
    }

    static Segment segment(SpanRecord s, long fromMs, long toMs) {
        return new Segment(
                s.spanId(), s.service(), s.name(), T0_NANOS + fromMs * 1_000_000L, T0_NANOS + toMs * 1_000_000L);
    }

    @Test
    void spans_areATreeDepthFirst_withChildrenByStartTime() {
        // the root's second child starts before orders' second child: depth first is not start order
        SpanRecord render =
                span("00000000000000a9", ROOT_SPAN_ID, GATEWAY, "render", SpanRecord.Kind.INTERNAL, 15, 5, Map.of());
        List<SpanRecord> spans = new ArrayList<>(TRACE);
        spans.add(render);
        Collections.reverse(spans);
        TraceView v = assemble(spans, List.of(), List.of());
        assertThat(v.spans())
                .extracting(SpanView::spanId, SpanView::depth, SpanView::offsetMs)
                .containsExactly(
                        tuple(ROOT_SPAN_ID, 0, 0.0),
                        tuple(ORDERS_SPAN_ID, 1, 10.0),
                        tuple(ORDERS_DB_SPAN_ID, 2, 12.0),
                        tuple(PAYMENTS_SPAN_ID, 2, 25.0),
                        tuple(render.spanId(), 1, 15.0));
        assertThat(v.spanCount()).isEqualTo(5);
        SpanView payments = v.spans().get(3);
        assertThat(payments.status()).isEqualTo(SpanRecord.Status.ERROR);
        assertThat(payments.events()).isEqualTo(PAYMENTS_SPAN.events());
        assertThat(payments.durationMs()).isEqualTo(50.0);
        assertThat(v.summary())
                .extracting(s -> s.spanCount(), s -> s.errorCount(), s -> s.durationMs(), s -> s.start())
                .containsExactly(4, 1, 100.0, "2026-01-01T00:00:00Z");
    }

    @Test
    void spansWhoseParentIsUnknown_areRootsToo_inStartOrder() {
        // no summary: offsets from the earliest span
        TraceView v = TraceAssembly.assemble(
                TRACE_ID,
                new SpansPart(Set.of(0), List.of(PAYMENTS_SPAN, ORDERS_DB_SPAN), null, List.of()),
                List.of(),
                TraceAssembly.STREAM);
        assertThat(v.spans())
                .extracting(SpanView::spanId, SpanView::depth, SpanView::offsetMs)
                .containsExactly(tuple(ORDERS_DB_SPAN_ID, 0, 0.0), tuple(PAYMENTS_SPAN_ID, 0, 13.0));
        assertThat(v.summary()).isNull();
    }

    @Test
    void spansWhoseParentIdsFormACycle_areShownOnce_fromTheEarliest() {
        // x and y name each other as parent, z names itself: none has a root above it
        SpanRecord x =
                span("00000000000000e1", "00000000000000e2", ORDERS, "x", SpanRecord.Kind.INTERNAL, 30, 5, Map.of());
        SpanRecord y =
                span("00000000000000e2", "00000000000000e1", ORDERS, "y", SpanRecord.Kind.INTERNAL, 20, 5, Map.of());
        SpanRecord z =
                span("00000000000000e3", "00000000000000e3", ORDERS, "z", SpanRecord.Kind.INTERNAL, 40, 5, Map.of());
        TraceView v = assemble(List.of(x, ROOT, z, y), List.of(), List.of());
        assertThat(v.spans())
                .extracting(SpanView::spanId, SpanView::depth)
                .containsExactly(
                        tuple(ROOT_SPAN_ID, 0), tuple(y.spanId(), 0), tuple(x.spanId(), 1), tuple(z.spanId(), 0));
        assertThat(v.spanCount()).isEqualTo(4);
    }

    @Test
    void logs_areCountedPerSpan_andMarkedWhenTheirSpanIsNotInTheTrace() {
        LogRecord otherSpan =
                log("00000000000000000000000000000004", 30, PAYMENTS, WARN, "retrying", "00000000000000ff");
        LogRecord noSpan = log("00000000000000000000000000000005", 40, ORDERS, DEBUG, "no span", null);
        TraceView v = assemble(TRACE, List.of(), List.of(LOG_INFO, otherSpan, noSpan, LOG_ERROR));
        assertThat(v.logCount()).isEqualTo(4);
        assertThat(v.logs())
                .extracting(TraceLogView::eventId, TraceLogView::spanInTrace)
                .containsExactly(
                        tuple(LOG_INFO.eventId(), true),
                        tuple(otherSpan.eventId(), false),
                        tuple(noSpan.eventId(), false),
                        tuple(LOG_ERROR.eventId(), true));
        assertThat(v.spans())
                .extracting(SpanView::spanId, SpanView::logCount)
                .containsExactly(
                        tuple(ROOT_SPAN_ID, 1),
                        tuple(ORDERS_SPAN_ID, 0),
                        tuple(ORDERS_DB_SPAN_ID, 0),
                        tuple(PAYMENTS_SPAN_ID, 1));
    }

    @Test
    void criticalPath_isInOffsetsFromTheTraceStart_andSummedPerSpan() {
        List<Segment> path = List.of(
                segment(ROOT, 0, 10),
                segment(ORDERS_SPAN, 10, 25),
                segment(PAYMENTS_SPAN, 25, 75),
                segment(ORDERS_SPAN, 75, 80),
                segment(ROOT, 80, 100));
        // the root is not read (yet): the trace still starts where its summary says
        TraceView v = assemble(List.of(ORDERS_SPAN, ORDERS_DB_SPAN, PAYMENTS_SPAN), path, List.of());
        assertThat(v.criticalPath())
                .extracting(SegmentView::spanId, SegmentView::offsetMs, SegmentView::durationMs)
                .containsExactly(
                        tuple(ROOT_SPAN_ID, 0.0, 10.0),
                        tuple(ORDERS_SPAN_ID, 10.0, 15.0),
                        tuple(PAYMENTS_SPAN_ID, 25.0, 50.0),
                        tuple(ORDERS_SPAN_ID, 75.0, 5.0),
                        tuple(ROOT_SPAN_ID, 80.0, 20.0));
        assertThat(v.spans())
                .extracting(SpanView::spanId, SpanView::offsetMs, SpanView::criticalPathMs)
                .containsExactly(
                        tuple(ORDERS_SPAN_ID, 10.0, 20.0),
                        tuple(ORDERS_DB_SPAN_ID, 12.0, 0.0),
                        tuple(PAYMENTS_SPAN_ID, 25.0, 50.0));
    }

    @Test
    void resources_areShownOncePerService_forServicesWithAny() {
        TraceView v = assemble(TRACE, List.of(), List.of());
        assertThat(v.resources())
                .isEqualTo(Map.of(GATEWAY, Map.of("host.name", "gateway-1"), ORDERS, Map.of("host.name", "orders-1")));
    }
}
