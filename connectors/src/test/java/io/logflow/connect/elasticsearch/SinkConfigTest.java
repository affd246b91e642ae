package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class SinkConfigTest {
    private final ElasticsearchSinkConnector connector = new ElasticsearchSinkConnector();

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("elasticsearch.urls", "http://127.0.0.1:9200");
        return props;
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> props = minimal();
        for (int i = 0; i < keyValues.length; i += 2) props.put(keyValues[i], keyValues[i + 1]);
        return props;
    }

    /** The errors of one key, from the ConfigDef alone: config().validate(props). */
    private List<String> errors(Map<String, String> props, String key) {
        for (ConfigValue v : connector.config().validate(props)) {
            if (v.name().equals(key)) return v.errorMessages();
        }
        throw new AssertionError("no config value " + key);
    }

    /** The errors of one key as Connect's REST validation sees them: the connector's validate(props). */
    private List<String> validateErrors(Map<String, String> props, String key) {
        Config config = connector.validate(props);
        for (ConfigValue v : config.configValues()) {
            if (v.name().equals(key)) return v.errorMessages();
        }
        throw new AssertionError("no config value " + key);
    }

    private List<String> allErrors(Map<String, String> props) {
        return connector.validate(props).configValues().stream()
                .flatMap(v -> v.errorMessages().stream().map(m -> v.name() + ": " + m))
                .toList();
    }

    @Test
    void onlyTheUrlIsRequired_everythingElseHasItsDefault() {
        assertThat(allErrors(minimal())).isEmpty();
        SinkConfig c = new SinkConfig(minimal());
        assertThat(c.getInt(SinkConfig.BULK_MAX_ACTIONS)).isEqualTo(SinkConfig.BULK_MAX_ACTIONS_DEFAULT);
        assertThat(c.getLong(SinkConfig.BULK_MAX_BYTES)).isEqualTo(SinkConfig.BULK_MAX_BYTES_DEFAULT);
        assertThat(c.getInt(SinkConfig.MAX_IN_FLIGHT_REQUESTS)).isEqualTo(2);
        assertThat(c.retentionDays()).isEqualTo(7).isEqualTo(SinkConfig.RETENTION_DAYS_DEFAULT);
        assertThat(c.logsTopic()).isEqualTo("logflow.logs");
        assertThat(c.spansTopic()).isEqualTo("logflow.spans");
        assertThat(c.logsIndices().prefix()).isEqualTo("logflow-logs");
        assertThat(c.spansIndices().prefix()).isEqualTo("logflow-spans");
        assertThat(c.backoff()).isEqualTo(new Backoff(100, 10_000));
        assertThat(c.connectionTimeoutMs()).isEqualTo(5_000);
        assertThat(c.readTimeoutMs()).isEqualTo(30_000);
        assertThat(c.username()).isEmpty();
        assertThat(c.taskIndex()).isZero();
    }

    @Test
    void missingUrl_isAnError() {
        Map<String, String> props = minimal();
        props.remove("elasticsearch.urls");
        assertThat(errors(props, "elasticsearch.urls")).isNotEmpty();
        assertThatThrownBy(() -> new SinkConfig(props)).isInstanceOf(ConfigException.class);
    }

    @Test
    void urls_mustBeHttpWithAHostAndNoPathOrCredentials() {
        assertThat(errors(with("elasticsearch.urls", "http://a:9200, https://b:9243/"), "elasticsearch.urls"))
                .isEmpty();
        assertThat(errors(with("elasticsearch.urls", "ftp://a:9200"), "elasticsearch.urls"))
                .singleElement()
                .asString()
                .contains("http:// or https://");
        assertThat(errors(with("elasticsearch.urls", "127.0.0.1:9200"), "elasticsearch.urls"))
                .isNotEmpty();
        assertThat(errors(with("elasticsearch.urls", "http:///x"), "elasticsearch.urls"))
                .isNotEmpty();
        assertThat(errors(with("elasticsearch.urls", "http://a:9200/es"), "elasticsearch.urls"))
                .singleElement()
                .asString()
                .contains("path");
        assertThat(errors(with("elasticsearch.urls", "http://u:secret@a:9200"), "elasticsearch.urls"))
                .singleElement()
                .asString()
                .contains("elasticsearch.username")
                .doesNotContain("secret");
        assertThat(errors(with("elasticsearch.urls", "http://a:9200,http://b:9200?x=1"), "elasticsearch.urls"))
                .isNotEmpty();
        assertThat(errors(with("elasticsearch.urls", ""), "elasticsearch.urls")).isNotEmpty();
    }

    @Test
    void bulkAndBufferLimits_areBounded() {
        assertThat(errors(with("bulk.max.actions", "0"), "bulk.max.actions")).isNotEmpty();
        assertThat(errors(with("bulk.max.actions", "500"), "bulk.max.actions")).isEmpty();
        assertThat(errors(with("bulk.max.bytes", "100"), "bulk.max.bytes")).isNotEmpty();
        assertThat(errors(with("bulk.max.bytes", String.valueOf(200L << 20)), "bulk.max.bytes"))
                .isNotEmpty();
        assertThat(errors(with("bulk.max.bytes", "nope"), "bulk.max.bytes")).isNotEmpty();
        assertThat(errors(with("bulk.max.in.flight.requests", "0"), "bulk.max.in.flight.requests"))
                .isNotEmpty();
        assertThat(errors(with("buffer.max.records", "0"), "buffer.max.records"))
                .isNotEmpty();
        assertThat(errors(with("buffer.max.bytes", "10"), "buffer.max.bytes")).isNotEmpty();
        assertThat(errors(with("bulk.linger.ms", "-1"), "bulk.linger.ms")).isNotEmpty();
    }

    @Test
    void timeoutsAndBackoff_arePositive_andTheMaximumBackoffNotBelowTheInitial() {
        assertThat(errors(with("elasticsearch.connection.timeout.ms", "0"), "elasticsearch.connection.timeout.ms"))
                .isNotEmpty();
        assertThat(errors(with("elasticsearch.read.timeout.ms", "-5"), "elasticsearch.read.timeout.ms"))
                .isNotEmpty();
        assertThat(errors(with("retry.backoff.initial.ms", "0"), "retry.backoff.initial.ms"))
                .isNotEmpty();
        Map<String, String> inverted = with("retry.backoff.initial.ms", "5000", "retry.backoff.max.ms", "1000");
        assertThat(errors(inverted, "retry.backoff.max.ms")).isEmpty(); // each value is fine alone
        assertThat(validateErrors(inverted, "retry.backoff.max.ms"))
                .singleElement()
                .asString()
                .contains("retry.backoff.initial.ms");
        assertThatThrownBy(() -> new SinkConfig(inverted)).isInstanceOf(ConfigException.class);
    }

    @Test
    void retentionDays_defaultsToSeven_zeroKeepsEverything_negativeIsAnError() {
        assertThat(ConfigDef.convertToString(
                        connector.config().configKeys().get("retention.days").defaultValue, ConfigDef.Type.INT))
                .isEqualTo("7");
        assertThat(errors(with("retention.days", "0"), "retention.days")).isEmpty();
        assertThat(errors(with("retention.days", "-1"), "retention.days")).isNotEmpty();
        assertThat(errors(with("retention.interval.ms", "10"), "retention.interval.ms"))
                .isNotEmpty();
    }

    @Test
    void indexPrefixes_mustBeLowerCaseIndexNames_thatDoNotOverlap() {
        assertThat(errors(with("logs.index.prefix", "LogFlow-logs"), "logs.index.prefix"))
                .isNotEmpty();
        assertThat(errors(with("logs.index.prefix", "-logs"), "logs.index.prefix"))
                .isNotEmpty();
        assertThat(errors(with("logs.index.prefix", "logs*"), "logs.index.prefix"))
                .isNotEmpty();
        assertThat(errors(with("logs.index.prefix", "my logs"), "logs.index.prefix"))
                .isNotEmpty();
        assertThat(errors(with("logs.index.prefix", "test-7f3a.logs"), "logs.index.prefix"))
                .isEmpty();
        assertThat(validateErrors(
                        with("logs.index.prefix", "logflow", "spans.index.prefix", "logflow-spans"),
                        "spans.index.prefix"))
                .singleElement()
                .asString()
                .contains("overlap");
        assertThat(validateErrors(with("logs.index.prefix", "x", "spans.index.prefix", "x"), "spans.index.prefix"))
                .isNotEmpty();
        assertThat(validateErrors(
                        with("logs.index.prefix", "logflow-logs", "spans.index.prefix", "logflow-logsx"),
                        "spans.index.prefix"))
                .isEmpty();
    }

    @Test
    void topics_mustBeTheLogsOrTheSpansTopic() {
        assertThat(allErrors(with("topics", "logflow.logs,logflow.spans"))).isEmpty();
        assertThat(validateErrors(with("topics", "logflow.logs,logflow.dlq"), "logs.topic"))
                .singleElement()
                .asString()
                .contains("logflow.dlq");
        assertThat(validateErrors(with("logs.topic", "t", "spans.topic", "t"), "spans.topic"))
                .isNotEmpty();
    }

    @Test
    void password_isAPasswordType_neverShownInValuesOrLogs() {
        assertThat(connector.config().configKeys().get("elasticsearch.password").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        Map<String, String> props = with("elasticsearch.username", "sink", "elasticsearch.password", "s3cr3t");
        assertThat(allErrors(props)).isEmpty();
        SinkConfig c = new SinkConfig(props);
        assertThat(c.password().value()).isEqualTo("s3cr3t");
        assertThat(c.password().toString()).doesNotContain("s3cr3t");
        assertThat(c.values().toString()).doesNotContain("s3cr3t");
        for (ConfigValue v : connector.validate(props).configValues()) {
            assertThat(String.valueOf(v.value())).doesNotContain("s3cr3t");
        }
    }

    @Test
    void usernameAndPassword_goTogether() {
        assertThat(validateErrors(with("elasticsearch.username", "sink"), "elasticsearch.username"))
                .isNotEmpty();
        assertThat(validateErrors(with("elasticsearch.password", "p"), "elasticsearch.username"))
                .isNotEmpty();
    }

    @Test
    void everyKey_hasADocAndIsValidated() {
        Map<String, ConfigDef.ConfigKey> keys = connector.config().configKeys();
        assertThat(keys)
                .containsKeys(
                        "elasticsearch.urls",
                        "elasticsearch.username",
                        "elasticsearch.password",
                        "elasticsearch.connection.timeout.ms",
                        "elasticsearch.read.timeout.ms",
                        "bulk.max.actions",
                        "bulk.max.bytes",
                        "bulk.linger.ms",
                        "bulk.max.in.flight.requests",
                        "buffer.max.records",
                        "buffer.max.bytes",
                        "retry.backoff.initial.ms",
                        "retry.backoff.max.ms",
                        "logs.topic",
                        "spans.topic",
                        "logs.index.prefix",
                        "spans.index.prefix",
                        "index.number.of.shards",
                        "index.number.of.replicas",
                        "retention.days",
                        "retention.interval.ms");
        for (ConfigDef.ConfigKey key : keys.values()) {
            if (key.internalConfig) continue;
            assertThat(key.documentation).as(key.name).isNotBlank();
            if (key.type != ConfigDef.Type.PASSWORD && !key.name.equals("elasticsearch.username")) {
                assertThat(key.validator).as(key.name).isNotNull();
            }
        }
    }
}
