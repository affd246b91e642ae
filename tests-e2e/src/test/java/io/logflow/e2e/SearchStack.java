package io.logflow.e2e;

import io.logflow.infra.LocalConnect;
import io.logflow.infra.LocalElasticsearch;
import io.logflow.infra.LocalKafka;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.SearchSink;
import io.logflow.infra.StateApiProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every part search needs, real and started in order for one test class: a broker, a temporary Elasticsearch, a
 * scratch database, the server (search on, {@code KAFKA_CONNECT_URL} set) and a Connect worker running LogFlow's sink
 * with 2 tasks. Closed in the reverse order; a test may close {@link #elasticsearch} early (search answers 503).
 */
final class SearchStack implements AutoCloseable {
    LocalKafka kafka;
    LocalElasticsearch elasticsearch;
    ScratchDatabase database;
    StateApiProcess server;
    LocalConnect connect;

    /**
     * @param name the database's name prefix and the server's application id prefix
     * @param env more environment for the server
     */
    static SearchStack start(Path dir, String name, Map<String, String> env) throws Exception {
        SearchStack s = new SearchStack();
        try {
            s.kafka = LocalKafka.start(dir.resolve("kafka"), 0);
            s.elasticsearch = LocalElasticsearch.startTemporary();
            s.database = ScratchDatabase.create(name.replace('-', '_'), dir);
            int connectPort = StateApiProcess.freePort();
            Map<String, String> all = new HashMap<>(env);
            all.put("DATABASE_URL", s.database.url());
            all.put("ELASTICSEARCH_URL", s.elasticsearch.url());
            all.put("KAFKA_CONNECT_URL", "http://127.0.0.1:" + connectPort);
            s.server = TestServers.start(
                    TestServers.copyJar(dir),
                    s.kafka.bootstrapServers(),
                    dir.resolve("state"),
                    name + "-" + java.util.UUID.randomUUID().toString().substring(0, 6),
                    dir.resolve("server.log"),
                    all);
            s.server.awaitHealthy(Duration.ofSeconds(240)); // a shared 2-core machine can be slow
            TestServers.signIn(s.server.baseUri());
            s.connect = LocalConnect.start(
                    dir.resolve("connect"),
                    s.kafka.bootstrapServers(),
                    connectPort,
                    List.of(TestServers.connectorPluginPath()));
            SearchSink.register(
                    s.connect.url(), SearchSink.config(s.elasticsearch.url(), 2, 0, 7), Duration.ofSeconds(90));
            SearchSink.awaitRunning(s.connect.url(), 2, Duration.ofSeconds(90));
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {connect, server, elasticsearch, kafka, database}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                System.out.println("[stack] stopping: " + e);
            }
        }
    }
}
