package io.logflow.connect.elasticsearch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * A task's counters. Registered as Kafka metrics of the task (Connect's plugin metrics, JMX) when the worker offers
 * them; readable here either way.
 */
final class SinkMetrics {
    /** Documents Elasticsearch acknowledged. */
    final LongAdder indexed = new LongAdder();
    /** Document retries scheduled (429 items, 5xx, Elasticsearch unreachable ...). */
    final LongAdder retried = new LongAdder();
    /** Records sent to the dead-letter queue (malformed for Elasticsearch, or not a document at all). */
    final LongAdder deadLettered = new LongAdder();
    /** Records that should have gone to the dead-letter queue but there is none: logged and skipped. */
    final LongAdder skipped = new LongAdder();
    /** Bulk requests sent. */
    final LongAdder bulkRequests = new LongAdder();
    /** Bulk requests that failed whole (no answer, or an error status for the request). */
    final LongAdder failedRequests = new LongAdder();
    /** Daily indices deleted by retention. */
    final LongAdder indicesDeleted = new LongAdder();

    private record Metric(String name, String doc, LongSupplier value) {}

    /**
     * Adds the counters, and the buffer's fill, to the task's plugin metrics.
     *
     * @param bufferedRecords documents held and not yet acknowledged
     */
    void register(PluginMetrics metrics, LongSupplier bufferedRecords, LongSupplier bufferedBytes) {
        List<Metric> all = List.of(
                new Metric("documents-indexed-total", "Documents Elasticsearch acknowledged", indexed::sum),
                new Metric("documents-retried-total", "Document retries after temporary failures", retried::sum),
                new Metric("records-dead-lettered-total", "Records sent to the dead-letter queue", deadLettered::sum),
                new Metric(
                        "records-skipped-total",
                        "Records that could not be indexed and were skipped: no dead-letter queue configured",
                        skipped::sum),
                new Metric("bulk-requests-total", "Bulk requests sent", bulkRequests::sum),
                new Metric("bulk-requests-failed-total", "Bulk requests that failed as a whole", failedRequests::sum),
                new Metric("indices-deleted-total", "Daily indices deleted by retention", indicesDeleted::sum),
                new Metric("buffered-documents", "Documents held, not yet acknowledged", bufferedRecords),
                new Metric("buffered-bytes", "Bytes of documents held, not yet acknowledged", bufferedBytes));
        for (Metric m : all) {
            metrics.addMetric(metrics.metricName(m.name(), m.doc(), new LinkedHashMap<>()), (Measurable)
                    (config, now) -> m.value().getAsLong());
        }
    }
}
