package io.logflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.alerts.Channel;
import io.logflow.model.schema.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LogFlowMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final LogFlowMetrics metrics = new LogFlowMetrics(registry);

    @Test
    void everyCounterFamily_isRegisteredAtZero_beforeAnyEvent() {
        Set<String> families = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            if (m instanceof Counter c) {
                families.add(m.getId().getName());
                assertThat(c.count()).as(m.getId().toString()).isZero();
            }
        }
        assertThat(families)
                .containsExactlyInAnyOrder(
                        "logflow.ingest.logs",
                        "logflow.dlq.records",
                        "logflow.tail.clients.dropped",
                        "logflow.tail.clients.refused",
                        "logflow.tail.resumes",
                        "logflow.otlp.spans.received",
                        "logflow.otlp.spans.accepted",
                        "logflow.otlp.spans.rejected",
                        "logflow.otlp.log.records.received",
                        "logflow.otlp.log.records.accepted",
                        "logflow.otlp.log.records.rejected",
                        "logflow.alerts.stored",
                        "logflow.alerts.notifications",
                        "logflow.alerts.stream.clients.dropped",
                        "logflow.streams.restarts",
                        "logflow.cache.lookups",
                        "logflow.cache.errors");
    }

    @Test
    void everyKnownTagValue_hasItsSeries_beforeAnyEvent() {
        assertThat(tags("logflow.ingest.logs", "outcome")).containsExactlyInAnyOrder("accepted", "rejected");
        assertThat(tags("logflow.dlq.records", "reason"))
                .containsExactlyInAnyOrderElementsOf(DeadLetters.CATEGORIES)
                .contains("invalid_json", "deserialization_error");
        assertThat(tags("logflow.tail.resumes", "source")).containsExactlyInAnyOrder("ring", "kafka");
        assertThat(registry.find("logflow.alerts.stored").counters()).hasSize(3 * 2);
        assertThat(tags("logflow.alerts.stored", "state"))
                .containsExactlyInAnyOrder("FIRING", "RESOLVED", "ACKNOWLEDGED");
        assertThat(tags("logflow.alerts.stored", "outcome")).containsExactlyInAnyOrder("changed", "unchanged");
        assertThat(registry.find("logflow.alerts.notifications").counters()).hasSize(Channel.values().length * 3);
        assertThat(tags("logflow.alerts.notifications", "channel"))
                .containsExactlyInAnyOrder("console", "webhook", "slack");
        assertThat(tags("logflow.alerts.notifications", "outcome"))
                .containsExactlyInAnyOrder("sent", "failed", "gave_up");
        assertThat(tags("logflow.cache.lookups", "result")).containsExactlyInAnyOrder("hit", "miss");
        assertThat(tags("logflow.cache.errors", "operation"))
                .containsExactlyInAnyOrder("connect", "get", "set", "health", "stats");
    }

    @Test
    void events_countOnThePreRegisteredSeries() {
        metrics.deadLetter(DeadLetters.CATEGORY_INVALID_JSON);
        metrics.deadLetter("something_new");
        metrics.tailResumed("ring");
        metrics.alertStored("FIRING", true);
        metrics.notification("webhook", "failed");
        metrics.ingested(3, 1);
        metrics.otlpSpans().accepted().increment(2);

        assertThat(registry.get("logflow.dlq.records")
                        .tag("reason", "invalid_json")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("logflow.dlq.records")
                        .tag("reason", "something_new")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.find("logflow.dlq.records").counters()).hasSize(DeadLetters.CATEGORIES.size() + 1);
        assertThat(registry.get("logflow.tail.resumes")
                        .tag("source", "ring")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("logflow.alerts.stored")
                        .tags("state", "FIRING", "outcome", "changed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("logflow.alerts.notifications")
                        .tags("channel", "webhook", "outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(metrics.ingestTotals()).containsEntry("api", 3.0).containsEntry("otlp_spans", 2.0);
        assertThat(metrics.deadLetterTotals())
                .containsEntry("invalid_json", 1.0)
                .containsEntry("empty", 0.0);
    }

    private List<String> tags(String name, String tag) {
        return registry.find(name).counters().stream()
                .map(c -> c.getId().getTag(tag))
                .distinct()
                .toList();
    }
}
