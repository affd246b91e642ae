package io.logflow.topology;

import io.logflow.alerts.AlertRule;
import io.logflow.alerts.Metric;
import io.logflow.alerts.RuleJson;
import io.logflow.model.schema.Stores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor's view of the alert rules: every rule in the global store {@link
 * Stores#ALERT_RULES} (rule JSON by rule id), parsed once per version and re-read when {@link
 * #refresh()} is called (every second by the alert processors' punctuators), so the per-record path
 * reads a plain list. A record that is not a valid rule is skipped with a warning, never fatal.
 */
final class AlertRules {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRules.class);

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private Map<String, AlertRule> byId = Map.of();
    private List<AlertRule> logRules = List.of();
    private List<AlertRule> spanRules = List.of();
    private List<AlertRule> noDataRules = List.of();

    AlertRules(ReadOnlyKeyValueStore<String, byte[]> store) {
        this.store = store;
        refresh();
    }

    void refresh() {
        Map<String, AlertRule> next = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.value == null) continue;
                AlertRule known = byId.get(kv.key);
                try {
                    AlertRule rule = RuleJson.read(kv.value);
                    // keep the parsed instance (and its compiled pattern) while the version is unchanged
                    next.put(kv.key, known != null && known.version() == rule.version() ? known : rule);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Alert rule {} in {} is not a valid rule and is ignored: {}",
                            kv.key,
                            Stores.ALERT_RULES.name(),
                            e.toString());
                }
            }
        }
        List<AlertRule> logs = new ArrayList<>();
        List<AlertRule> spans = new ArrayList<>();
        List<AlertRule> noData = new ArrayList<>();
        for (AlertRule r : next.values()) {
            if (!r.active()) continue;
            if (r.metric() == Metric.NO_DATA) noData.add(r);
            else if (r.isSpanRule()) spans.add(r);
            else logs.add(r);
        }
        byId = next;
        logRules = logs;
        spanRules = spans;
        noDataRules = noData;
    }

    /** The current version of a rule, or null when it was deleted. */
    AlertRule get(String id) {
        return byId.get(id);
    }

    List<AlertRule> logRules() {
        return logRules;
    }

    List<AlertRule> spanRules() {
        return spanRules;
    }

    List<AlertRule> noDataRules() {
        return noDataRules;
    }

    /** Whether some active span rule watches this service (spans of others are not forwarded). */
    boolean watchesSpansOf(String service) {
        for (AlertRule r : spanRules) if (r.appliesTo(service)) return true;
        return false;
    }
}
