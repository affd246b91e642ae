package io.logflow.topology;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertEventJson;
import io.logflow.alerts.AlertRule;
import io.logflow.alerts.AlertStateMachine;
import io.logflow.alerts.Evaluator;
import io.logflow.alerts.Metric;
import io.logflow.alerts.RuleJson;
import io.logflow.alerts.WindowTotals;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.StoreSpec;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topic;
import io.logflow.model.schema.Topics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert rules evaluated continuously (docs/adr/009-alerting.md):
 *
 * <pre>
 * logflow.alert-rules ─▶ global store alert-rules (every instance holds every rule)
 * logflow.alert-resets ─▶ global store alert-resets (alerts resolved through the API)
 * logflow.logs (by service) ── alert-logs ──────────────────────────────────────┐
 * trace-assembly ─▶ alert-spans-by-service-repartition (by service) ── alert-spans ─┴─▶ logflow.alerts
 * </pre>
 *
 * <p>Each log (span) of a service updates, for every active rule watching that service, the
 * rule's {@link AlertWindow} for the service in {@link Stores#ALERT_LOG_WINDOWS} ({@link
 * Stores#ALERT_SPAN_WINDOWS}) and re-evaluates the rule over its time window at once, so an alert
 * fires on the record that crosses the threshold. The firing state per (rule, service) is in {@link
 * Stores#ALERT_LOG_STATUS} ({@link Stores#ALERT_SPAN_STATUS}); {@link AlertStateMachine} decides
 * the transitions (one FIRING until resolved, no resolve within a window). A wall-clock punctuator
 * every {@link #PUNCTUATE} re-reads the rules, re-evaluates firing alerts (they resolve without new
 * data), resolves the alerts of rules that were deleted, deactivated or changed, and evaluates
 * {@code no_data} rules against the service registry ({@link Stores#SERVICES}, last seen).
 *
 * <p>A firing alert resolved through the API (its id in the global store {@link
 * Stores#ALERT_RESETS}, from {@code logflow.alert-resets}) is forgotten at the next punctuation
 * and evaluated as if it had never fired: a condition that still holds fires again, as a new alert
 * with a new id, instead of staying silently "firing" here while the API shows it resolved.
 *
 * <p>Time: a record's own evaluation uses the task's stream time (so a replayed backlog fires as it
 * would have); punctuations use the wall clock.
 */
public final class AlertTopology {
    static final String RULES_SOURCE = "alert-rules-source";
    static final String RESETS_SOURCE = "alert-resets-source";
    static final String LOGS_PROCESSOR = "alert-logs";
    static final String LOGS_SINK = "alert-logs-sink";
    static final String SPANS_REPARTITION = "alert-spans-by-service";
    static final String SPANS_PROCESSOR = "alert-spans";
    static final String SPANS_SINK = "alert-spans-sink";
    static final Duration PUNCTUATE = Duration.ofSeconds(1);

    private AlertTopology() {}

    /** The global rule store; add once per topology, before the processors that read it. */
    static void addRules(StreamsBuilder builder) {
        addGlobal(builder, Stores.ALERT_RULES, Topics.ALERT_RULES, RULES_SOURCE);
    }

    /**
     * The global store of manual resolves; add once per topology, after everything else: a global
     * store takes a sub-topology id too, and added earlier it would renumber the span alerts' tasks
     * (moving their state directories on upgrade).
     */
    static void addResets(StreamsBuilder builder) {
        addGlobal(builder, Stores.ALERT_RESETS, Topics.ALERT_RESETS, RESETS_SOURCE);
    }

    /** A global store holding the latest value of every key of a compacted topic (which is its changelog). */
    private static void addGlobal(
            StreamsBuilder builder, StoreSpec<String, byte[]> store, Topic<String, byte[]> topic, String sourceName) {
        builder.addGlobalStore(
                StoreBuilders.global(store), // the topic is the changelog
                topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(sourceName),
                () -> new Processor<String, byte[], Void, Void>() {
                    private KeyValueStore<String, byte[]> values;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        values = context.getStateStore(store.name());
                    }

                    @Override
                    public void process(Record<String, byte[]> record) {
                        if (record.key() == null) return;
                        if (record.value() == null) values.delete(record.key());
                        else values.put(record.key(), record.value());
                    }
                });
    }

    /** Log rules, evaluated on {@code logflow.logs}, in the service-statistics sub-topology. */
    static void addLogs(StreamsBuilder builder, KStream<String, LogRecord> logs) {
        addStores(builder, Stores.ALERT_LOG_WINDOWS, Stores.ALERT_LOG_STATUS);
        logs.process(
                        () -> new AlertProcessor<LogRecord>(Kind.LOGS),
                        Named.as(LOGS_PROCESSOR),
                        Stores.ALERT_LOG_WINDOWS.name(),
                        Stores.ALERT_LOG_STATUS.name(),
                        Stores.SERVICES.name())
                .to(
                        Topics.ALERTS.name(),
                        Produced.with(Topics.ALERTS.keySerde(), Topics.ALERTS.valueSerde())
                                .withName(LOGS_SINK));
    }

    /** Span rules: the spans forwarded by the trace processor, re-keyed by service. */
    static void addSpans(StreamsBuilder builder, KStream<String, SpanRecord> spansByService) {
        addStores(builder, Stores.ALERT_SPAN_WINDOWS, Stores.ALERT_SPAN_STATUS);
        spansByService
                .repartition(Repartitioned.<String, SpanRecord>as(SPANS_REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(LogFlowSerdes.spanRecord()))
                .process(
                        () -> new AlertProcessor<SpanRecord>(Kind.SPANS),
                        Named.as(SPANS_PROCESSOR),
                        Stores.ALERT_SPAN_WINDOWS.name(),
                        Stores.ALERT_SPAN_STATUS.name())
                .to(
                        Topics.ALERTS.name(),
                        Produced.with(Topics.ALERTS.keySerde(), Topics.ALERTS.valueSerde())
                                .withName(SPANS_SINK));
    }

    private static void addStores(
            StreamsBuilder builder, StoreSpec<String, byte[]> windows, StoreSpec<String, byte[]> status) {
        builder.addStateStore(StoreBuilders.keyValue(windows));
        builder.addStateStore(StoreBuilders.keyValue(status));
    }

    /** Key of a (rule, service) pair in the alert stores and on {@code logflow.alerts}. */
    static String key(String ruleId, String service) {
        return ruleId + "|" + service;
    }

    enum Kind {
        LOGS,
        SPANS
    }

    /**
     * The firing state of one (rule, service) and the rule it fired under (kept whole, so the alert
     * can be resolved and described after the rule is deleted).
     */
    record Status(AlertStateMachine.Firing firing, AlertRule rule) {
        byte[] toBytes() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte(1);
                byte[] r = RuleJson.write(rule);
                out.writeInt(r.length);
                out.write(r);
                out.writeUTF(firing.alertId());
                out.writeLong(firing.firedAtMillis());
                out.writeDouble(firing.value());
                out.writeLong(firing.windowStartMillis());
                out.writeLong(firing.windowEndMillis());
                out.writeByte(firing.sampleTraceIds().size());
                for (String t : firing.sampleTraceIds()) out.writeUTF(t);
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Status fromBytes(byte[] bytes) {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
                if (in.readByte() != 1) throw new IllegalArgumentException("unknown alert status encoding");
                byte[] r = new byte[in.readInt()];
                in.readFully(r);
                AlertRule rule = RuleJson.read(r);
                String id = in.readUTF();
                long firedAt = in.readLong();
                double value = in.readDouble();
                long start = in.readLong();
                long end = in.readLong();
                int n = in.readByte();
                List<String> samples = new ArrayList<>(n);
                for (int i = 0; i < n; i++) samples.add(in.readUTF());
                return new Status(new AlertStateMachine.Firing(id, firedAt, value, start, end, samples), rule);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final class AlertProcessor<V> implements Processor<String, V, String, byte[]> {
        private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);
        private final Kind kind;
        private ProcessorContext<String, byte[]> context;
        private AlertRules rules;
        private KeyValueStore<String, byte[]> windows;
        private KeyValueStore<String, byte[]> status;
        private KeyValueStore<String, LogCounts> services;
        private ReadOnlyKeyValueStore<String, byte[]> resets;

        AlertProcessor(Kind kind) {
            this.kind = kind;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            rules = new AlertRules(context.getStateStore(Stores.ALERT_RULES.name()));
            resets = context.getStateStore(Stores.ALERT_RESETS.name());
            windows = context.getStateStore(
                    kind == Kind.LOGS ? Stores.ALERT_LOG_WINDOWS.name() : Stores.ALERT_SPAN_WINDOWS.name());
            status = context.getStateStore(
                    kind == Kind.LOGS ? Stores.ALERT_LOG_STATUS.name() : Stores.ALERT_SPAN_STATUS.name());
            if (kind == Kind.LOGS) services = context.getStateStore(Stores.SERVICES.name());
            context.schedule(PUNCTUATE, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }

        @Override
        public void process(Record<String, V> record) {
            if (record.value() == null) return;
            long now = Math.max(context.currentStreamTimeMs(), record.timestamp());
            if (record.value() instanceof LogRecord log) {
                String traceId = log.traceId();
                for (AlertRule rule : rules.logRules()) {
                    // a message pattern narrows every log metric (WindowTotals): other logs do not count at all
                    if (!rule.appliesTo(log.service()) || !rule.messageMatches(log.message())) continue;
                    boolean levelMatch = rule.levelMatches(log.level().name());
                    boolean error = log.level().isError();
                    boolean match = levelMatch;
                    boolean sample = switch (rule.metric()) {
                        case ERROR_COUNT, ERROR_RATE -> error;
                        case LOG_MATCH_COUNT -> match;
                        default -> levelMatch;
                    };
                    AlertWindow w = window(rule, log.service());
                    w.addLog(log.timestamp(), levelMatch, error, match, traceId, sample);
                    evaluate(rule, log.service(), w, now, true);
                }
            } else if (record.value() instanceof SpanRecord span) {
                for (AlertRule rule : rules.spanRules()) {
                    if (!rule.appliesTo(span.service())) continue;
                    AlertWindow w = window(rule, span.service());
                    boolean sample = rule.metric() == Metric.SPAN_ERROR_RATE ? span.isError() : true;
                    w.addSpan(span.startMillis(), span.durationNanos(), span.isError(), span.traceId(), sample);
                    evaluate(rule, span.service(), w, now, true);
                }
            }
        }

        /** The rule's window for the service; a fresh one for a new or changed rule. */
        private AlertWindow window(AlertRule rule, String service) {
            byte[] bytes = windows.get(key(rule.id(), service));
            AlertWindow w = bytes == null ? null : AlertWindow.fromBytes(bytes);
            if (w == null || w.ruleVersion != rule.version())
                w = new AlertWindow(rule.version(), AlertWindow.bucketFor(rule.timeWindowMinutes()));
            return w;
        }

        /** Evaluates, steps the state machine, emits a transition, stores window and state. */
        private void evaluate(AlertRule rule, String service, AlertWindow w, long now, boolean store) {
            long windowMs = rule.timeWindowMinutes() * 60_000L;
            w.prune(now, windowMs);
            String key = key(rule.id(), service);
            if (store) windows.put(key, w.toBytes());
            WindowTotals totals = w.totals(now, windowMs);
            step(rule, service, totals, w.samples(), now);
        }

        private void step(AlertRule rule, String service, WindowTotals totals, List<String> samples, long now) {
            String key = key(rule.id(), service);
            byte[] current = status.get(key);
            Status s = current == null ? null : Status.fromBytes(current);
            AlertStateMachine.Step step = AlertStateMachine.step(
                    rule, service, s == null ? null : s.firing(), Evaluator.evaluate(rule, totals, now), now, samples);
            if (step.next() == null) {
                if (s != null) status.delete(key);
            } else if (s == null || !step.next().equals(s.firing())) {
                status.put(key, new Status(step.next(), rule).toBytes());
            }
            if (step.emitted() != null) emit(key, step.emitted(), now);
        }

        private void emit(String key, AlertEvent event, long now) {
            LOG.info(
                    "Alert {} {}: rule '{}' service {} value {} threshold {}",
                    event.state(),
                    event.alertId(),
                    event.ruleName(),
                    event.service(),
                    event.value(),
                    event.threshold());
            context.forward(new Record<>(key, AlertEventJson.write(event), now));
        }

        private void punctuate(long wallClock) {
            rules.refresh();
            // firing alerts: re-evaluated without new data; those of deleted, inactive or changed rules resolved
            List<KeyValue<String, byte[]>> firing = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = status.all()) {
                while (it.hasNext()) firing.add(it.next());
            }
            for (KeyValue<String, byte[]> kv : firing) {
                int bar = kv.key.indexOf('|');
                String ruleId = kv.key.substring(0, bar);
                String service = kv.key.substring(bar + 1);
                Status s = Status.fromBytes(kv.value);
                AlertRule rule = rules.get(ruleId);
                boolean reset = resets.get(s.firing().alertId()) != null;
                if (reset)
                    status.delete(
                            kv.key); // resolved through the API, which published the RESOLVED: forget it, evaluate
                // afresh
                String reason = rule == null
                        ? "rule deleted"
                        : !rule.active()
                                ? "rule deactivated"
                                : rule.version() != s.rule().version() ? "rule changed" : null;
                if (reason != null) {
                    if (!reset) {
                        status.delete(kv.key);
                        emit(
                                kv.key,
                                AlertStateMachine.resolveNow(s.rule(), service, s.firing(), wallClock, reason),
                                wallClock);
                    }
                    continue;
                }
                if (rule.metric() == Metric.NO_DATA) {
                    step(rule, service, noDataTotals(service), List.of(), wallClock);
                } else {
                    byte[] bytes = windows.get(kv.key);
                    AlertWindow w = bytes == null
                            ? new AlertWindow(rule.version(), AlertWindow.bucketFor(rule.timeWindowMinutes()))
                            : AlertWindow.fromBytes(bytes);
                    evaluate(rule, service, w, wallClock, false);
                }
            }
            // no_data: every service of this task's registry that a no_data rule watches
            if (services != null && !rules.noDataRules().isEmpty()) {
                List<String> seen = new ArrayList<>();
                try (KeyValueIterator<String, LogCounts> it = services.all()) {
                    while (it.hasNext()) seen.add(it.next().key);
                }
                for (AlertRule rule : rules.noDataRules()) {
                    for (String service : seen) {
                        if (rule.appliesTo(service)) step(rule, service, noDataTotals(service), List.of(), wallClock);
                    }
                }
            }
        }

        private WindowTotals noDataTotals(String service) {
            LogCounts c = services == null ? null : services.get(service);
            long lastSeen = c == null ? 0 : c.lastSeen();
            return new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0, lastSeen);
        }
    }
}
