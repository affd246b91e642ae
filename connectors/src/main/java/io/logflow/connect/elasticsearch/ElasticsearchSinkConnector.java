package io.logflow.connect.elasticsearch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * LogFlow's Elasticsearch sink: indexes {@code logflow.logs} and {@code logflow.spans} into daily indices. The
 * connector only checks the configuration and hands it to its tasks, numbering them (task 0 also applies
 * retention); the work is {@link ElasticsearchSinkTask}'s.
 */
public final class ElasticsearchSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new SinkConfig(props); // fails the connector on a bad configuration
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ElasticsearchSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(SinkConfig.TASK_INDEX, String.valueOf(i));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return SinkConfig.USER_DEF;
    }

    /** The per-key validation, plus the checks between keys ({@link SinkConfig#crossCheck}) on the keys concerned. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        List<ConfigValue> values = new ArrayList<>();
        Map<String, ConfigValue> byName = new HashMap<>();
        for (ConfigValue v : super.validate(connectorConfigs).configValues()) {
            values.add(v);
            byName.put(v.name(), v);
        }
        for (SinkConfig.Problem p : SinkConfig.crossCheck(connectorConfigs)) {
            ConfigValue v = byName.get(p.key());
            if (v != null) v.addErrorMessage(p.message());
        }
        return new Config(values);
    }
}
