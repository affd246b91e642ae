package io.logflow.api.search;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The search part of {@code /health}: whether Elasticsearch answers (and its cluster status), and the state of the
 * sink connector and each of its tasks on Kafka Connect, with the first line of a failed task's trace. Search being
 * down degrades search only, so it does not change the server's overall status.
 */
@Component
public class SearchHealth {
    static final String CONNECTOR = "logflow-elasticsearch-sink";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Elastic elastic;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SearchHealth(Elastic elastic) {
        this.elastic = elastic;
    }

    /** Blocking, at most about {@code timeout} per backend. */
    public Map<String, Object> check(Duration timeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            var health = elastic.call(c -> c.cluster().health()).block(timeout);
            String status = health.status().jsonValue();
            m.put("status", "red".equals(status) ? "DOWN" : "UP");
            m.put("elasticsearch", status);
        } catch (RuntimeException e) {
            m.put("status", "DOWN");
            m.put("error", Elastic.classify(e).getMessage());
        }
        String connect = elastic.settings().connectUrl();
        if (connect != null && !connect.isBlank()) m.put("sink", sink(connect.strip(), timeout));
        return m;
    }

    private Map<String, Object> sink(String connectUrl, Duration timeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/" + CONNECTOR + "/status"))
                            .timeout(timeout)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                m.put("state", "NOT_REGISTERED");
                return m;
            }
            if (r.statusCode() != 200) {
                m.put("state", "UNKNOWN");
                m.put("error", "Kafka Connect answered " + r.statusCode());
                return m;
            }
            JsonNode status = JSON.readTree(r.body());
            m.put("state", status.path("connector").path("state").asString("UNKNOWN"));
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (JsonNode t : status.path("tasks")) {
                Map<String, Object> task = new LinkedHashMap<>();
                task.put("id", t.path("id").asInt());
                task.put("state", t.path("state").asString("UNKNOWN"));
                task.put("worker", t.path("worker_id").asString(""));
                String trace = t.path("trace").asString("");
                if (!trace.isEmpty())
                    task.put("error", trace.lines().findFirst().orElse(""));
                tasks.add(task);
            }
            m.put("tasks", tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.put("state", "UNKNOWN");
        } catch (Exception e) {
            m.put("state", "UNKNOWN");
            m.put(
                    "error",
                    "Kafka Connect at " + connectUrl + " does not answer: "
                            + e.getClass().getSimpleName());
        }
        return m;
    }
}
