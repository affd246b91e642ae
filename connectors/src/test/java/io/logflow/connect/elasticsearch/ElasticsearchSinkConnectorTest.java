package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ElasticsearchSinkConnectorTest {
    private static final Map<String, String> PROPS =
            Map.of("elasticsearch.urls", "http://127.0.0.1:9200", "topics", "logflow.logs,logflow.spans");

    @Test
    void tasksGetTheConnectorsConfiguration_numbered_soThatOnlyTaskZeroAppliesRetention() {
        ElasticsearchSinkConnector connector = new ElasticsearchSinkConnector();
        connector.start(PROPS);
        List<Map<String, String>> tasks = connector.taskConfigs(3);
        assertThat(tasks).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(tasks.get(i)).containsAllEntriesOf(PROPS).containsEntry("logflow.task.index", String.valueOf(i));
            assertThat(new SinkConfig(tasks.get(i)).taskIndex()).isEqualTo(i);
        }
        assertThat(connector.taskClass()).isEqualTo(ElasticsearchSinkTask.class);
    }

    @Test
    void badConfiguration_failsTheConnectorsStart() {
        assertThatThrownBy(() -> new ElasticsearchSinkConnector().start(Map.of("elasticsearch.urls", "nope")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void taskIndex_isInternal_notShownToUsers() {
        assertThat(new ElasticsearchSinkConnector().validate(PROPS).configValues())
                .noneMatch(v -> v.name().equals("logflow.task.index"));
        assertThat(new ElasticsearchSinkConnector().config().names()).doesNotContain("logflow.task.index");
    }

    /**
     * Connect reads a validation result for every key of {@code config()} once any key has an error; a key without
     * one was an HTTP 500 from Connect's REST API instead of the error (seen with overlapping index prefixes).
     */
    @Test
    void validation_withErrors_hasAResultForEveryKey() {
        Map<String, String> bad = new java.util.HashMap<>(PROPS);
        bad.put("logs.index.prefix", "bench-replay-logs");
        bad.put("spans.index.prefix", "bench-replay-logs-spans");
        ElasticsearchSinkConnector connector = new ElasticsearchSinkConnector();
        var values = connector.validate(bad).configValues();
        assertThat(values.stream().map(v -> v.name()).toList())
                .containsAll(connector.config().names());
        assertThat(values)
                .filteredOn(v -> v.name().equals("spans.index.prefix"))
                .singleElement()
                .satisfies(v -> assertThat(v.errorMessages()).anyMatch(m -> m.contains("must not overlap")));
    }

    @Test
    void versionAndPluginPath_comeFromTheBuild() {
        assertThat(new ElasticsearchSinkConnector().version()).isEqualTo(new ElasticsearchSinkTask().version());
        assertThat(Version.get()).isNotEqualTo("unknown").doesNotContain("${");
        assertThat(Version.pluginPath()).endsWith("/connectors/target/plugin");
    }

    @Test
    void connectorIsDeclaredForConnectsServiceLoaderDiscovery() throws Exception {
        try (InputStream in =
                getClass().getResourceAsStream("/META-INF/services/org.apache.kafka.connect.sink.SinkConnector")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo(ElasticsearchSinkConnector.class.getName());
        }
    }
}
