package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.logflow.api.TestObjects;
import io.logflow.api.auth.AccessTokens;
import io.logflow.api.auth.ClusterCredentials;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.RequestIds;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

class EveryInstanceTest {
    static final ECKey KEY;

    static {
        try {
            KEY = new ECKeyGenerator(Curve.P_256).keyID("test").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    record Probe(Set<Integer> partitions, String answeredBy) implements Part {}

    final View<String, Probe> probe = View.of(
            "probe",
            null,
            Probe.class,
            arg -> Map.of("arg", arg),
            q -> q.getFirst("arg"),
            arg -> new Probe(Set.of(), "local"));

    final ReactorResourceFactory resources = new ReactorResourceFactory();
    final DisposableServer server = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(r -> r.get(
                    "/internal/v1/probe",
                    // the answer names the scheme of the credential it was asked with
                    (req, res) -> res.header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"partitions\":[3],\"answeredBy\":\"" + req.uri() + " "
                                    + String.valueOf(req.requestHeaders().get("Authorization"))
                                            .split(" ")[0]
                                    + "\"}"))))
            .bindNow();

    @AfterEach
    void close() {
        server.disposeNow();
    }

    @Test
    void everyInstanceReplies_andOneThatDoesNotAnswer_isListedWithItsError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        resources.afterPropertiesSet();
        LogFlowProperties props =
                TestObjects.properties(new LogFlowProperties.Query(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        Freshness freshness = new Freshness();
        StreamsRuntime runtime = new StreamsRuntime(null, null, null, null, freshness); // not started: self unknown
        Cluster cluster = new Cluster(
                new StoreMetadata(runtime, freshness, props),
                JsonMapper.builder().build(),
                props,
                resources,
                new ClusterCredentials(new AccessTokens(
                        TestObjects.AUTH,
                        () -> KEY,
                        new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())),
                        java.time.Clock.systemUTC())));
        HostInfo up = new HostInfo("127.0.0.1", server.port());
        HostInfo down = new HostInfo("127.0.0.1", closedPort);

        List<Cluster.Reply<Probe>> replies = cluster.ask(List.of(up, down), probe, "x", new RequestIds.Ids("r1", "c1"))
                .block(Duration.ofSeconds(10));

        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).instance()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(replies.get(0).part()).isEqualTo(new Probe(Set.of(3), "/internal/v1/probe?arg=x Bearer"));
        assertThat(replies.get(0).error()).isNull();
        assertThat(replies.get(1).instance()).isEqualTo("127.0.0.1:" + closedPort);
        assertThat(replies.get(1).part()).isNull();
        assertThat(replies.get(1).error()).contains("did not answer");
    }

    @Test
    void instances_areEveryClientOnce_withSelf_inHostPortOrder() {
        HostInfo self = new HostInfo("b", 8080);
        var other = new StreamsMetadataImpl(
                new HostInfo("a", 8081), Set.of("s"), Set.of(new TopicPartition("t", 0)), Set.of(), Set.of());
        var selfMeta = new StreamsMetadataImpl(self, Set.of("s"), Set.of(), Set.of(), Set.of());
        assertThat(StoreMetadata.instances(self, List.of(selfMeta, other)))
                .containsExactly(new HostInfo("a", 8081), self);
        assertThat(StoreMetadata.instances(self, List.of())).containsExactly(self);
    }
}
