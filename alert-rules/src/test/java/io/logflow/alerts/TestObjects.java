package io.logflow.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Fixed fixtures for the alert-rules unit tests. */
final class TestObjects {
    private TestObjects() {}

    /** 2026-01-01T00:00:00Z. */
    static final long T0 = 1_767_225_600_000L;

    static final Instant NOW = Instant.ofEpochMilli(T0);
    static final String RULE_ID = "3f2b8c1e-6d4a-4e7b-9a10-2c5d8e9f0a1b";
    static final String SERVICE = "payment-service";
    static final long MINUTE = 60_000L;

    /** The rule body of the seed script, byte for byte. */
    static final String SEED_BODY =
            "{\"name\":\"Critical Error Spike\",\"description\":\"Alert when errors exceed threshold\","
                    + "\"condition\":\"greater_than\",\"threshold\":50,\"time_window\":5,\"levels\":[\"ERROR\"],"
                    + "\"services\":[\"payment-service\"],\"notification_channel\":\"webhook\","
                    + "\"notification_config\":{\"url\":\"http://127.0.0.1:9999/hook\"},\"is_active\":true}";

    static final List<String> TRACES = List.of("4bf92f3577b34da6a3ce929d0e0e4736", "5c0a3f4688c45eb7b4df03ae1f1f5847");

    static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    /** An active 5-minute rule for every service, all levels, no pattern, console channel. */
    static AlertRule rule(Metric metric, Condition condition, double threshold) {
        return rule(metric, condition, threshold, 5, List.of(), null);
    }

    static AlertRule rule(
            Metric metric,
            Condition condition,
            double threshold,
            int windowMinutes,
            List<String> levels,
            String pattern) {
        return new AlertRule(
                RULE_ID,
                "Rule " + metric.wire(),
                "",
                metric,
                condition,
                threshold,
                windowMinutes,
                List.of(),
                levels,
                pattern,
                Severity.CRITICAL,
                Channel.CONSOLE,
                Map.of(),
                true,
                "ops",
                NOW,
                NOW,
                1);
    }

    /** The seed rule as validation builds it. */
    static AlertRule seedRule() {
        RuleValidation.Result r = RuleValidation.validate(json(SEED_BODY), RULE_ID, null, NOW, 1, null);
        if (r instanceof RuleValidation.Valid v) return v.rule();
        throw new AssertionError("seed body rejected: " + r);
    }
}
