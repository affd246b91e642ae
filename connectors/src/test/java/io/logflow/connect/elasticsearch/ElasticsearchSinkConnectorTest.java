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
