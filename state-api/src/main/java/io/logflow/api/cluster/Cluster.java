package io.logflow.api.cluster;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.RequestIds;
import io.logflow.api.web.Responses;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Interactive queries across the instances sharing one application.id. A key query runs on the
 * instance owning the key (here, or forwarded over HTTP to its {@code application.server}); a
 * fan-out query asks every instance serving the store for its part and checks that the parts cover
 * every partition exactly once. An instance that does not answer makes the query a 503, never a
 * silently partial answer.
 */
@Component
public class Cluster {
    static final String FORWARDED_BY = "X-LogFlow-Forwarded-By";

    private final StreamsRuntime runtime;
    private final JsonMapper json;
    private final WebClient client;
    private final Duration timeout;
    private final Duration retryAfter;

    Cluster(StreamsRuntime runtime, JsonMapper json, LogFlowProperties props, ReactorResourceFactory resources) {
        this.runtime = runtime;
        this.json = json;
        this.timeout = props.query().timeout();
        this.retryAfter = props.query().retryAfter();
        ReactorClientHttpConnector connector = new ReactorClientHttpConnector(
                resources,
                http -> http.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), 3000))
                        .responseTimeout(timeout));
        this.client = WebClient.builder()
                .clientConnector(connector)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
                .build();
    }

    /** The part of the instance owning {@code key} in the view's store: read here, or asked of the owner. */
    public <A, P extends Part> Mono<P> byKey(View<A, P> view, String key, A args, RequestIds.Ids ids) {
        return Mono.defer(() -> {
            HostInfo owner = runtime.ownerOf(view.store().apply(args), key).activeHost();
            return runtime.isSelf(owner) ? local(view, args) : fetch(owner, view, args, ids);
        });
    }

    /** Every instance's part of the view's store, checked to cover each partition exactly once. */
    public <A, P extends Part> Mono<List<P>> fanOut(View<A, P> view, A args, RequestIds.Ids ids) {
        return Mono.defer(() -> {
            Map<HostInfo, Set<Integer>> hosts = runtime.hostsOf(view.store().apply(args));
            Set<Integer> expected = new HashSet<>();
            hosts.values().forEach(expected::addAll);
            List<Mono<P>> calls = new ArrayList<>();
            for (HostInfo host : hosts.keySet())
                calls.add(runtime.isSelf(host) ? local(view, args) : fetch(host, view, args, ids));
            return Flux.merge(calls).collectList().map(parts -> {
                requireComplete(expected, parts, retryAfter);
                return parts;
            });
        });
    }

    /**
     * One instance's answer to a view asked of every instance: its part, or why it has none.
     *
     * @param instance {@code host:port} ({@code application.server})
     * @param part the instance's answer, null when it did not answer
     * @param error why it did not answer, null when it did
     */
    public record Reply<P>(String instance, P part, String error) {}

    /**
     * The view's part of every instance of the application (this one included), in {@code host:port} order,
     * without the partition check of {@link #fanOut}: for answers about the instances themselves rather than a
     * store's keys. An instance that does not answer is a reply with its error, so the caller sees it listed.
     */
    public <A, P extends Part> Mono<List<Reply<P>>> everyInstance(View<A, P> view, A args, RequestIds.Ids ids) {
        return Mono.defer(() -> ask(runtime.instances(), view, args, ids));
    }

    <A, P extends Part> Mono<List<Reply<P>>> ask(List<HostInfo> hosts, View<A, P> view, A args, RequestIds.Ids ids) {
        List<Mono<Reply<P>>> calls = new ArrayList<>();
        for (HostInfo host : hosts) {
            String name = host.host() + ":" + host.port();
            Mono<P> call = Mono.defer(() -> runtime.isSelf(host) ? local(view, args) : fetch(host, view, args, ids));
            calls.add(call.map(p -> new Reply<>(name, p, null))
                    .onErrorResume(e -> Mono.just(new Reply<>(name, null, String.valueOf(e.getMessage())))));
        }
        return Flux.mergeSequential(calls).collectList();
    }

    private static <A, P extends Part> Mono<P> local(View<A, P> view, A args) {
        return Responses.blocking(() -> view.read().apply(args));
    }

    /**
     * Throws 503 unless the parts cover exactly the expected partitions, each once: an instance that
     * missed a rebalance, or a partition nobody serves, would otherwise make the answer silently partial.
     */
    static void requireComplete(Set<Integer> expected, Collection<? extends Part> parts, Duration retryAfter) {
        Set<Integer> seen = new HashSet<>();
        for (Part p : parts) {
            for (Integer tp : p.partitions()) {
                if (!seen.add(tp))
                    throw ApiException.unavailable(
                            "partition " + tp + " was answered by two instances; a rebalance is in progress",
                            retryAfter);
            }
        }
        if (!seen.equals(expected)) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(seen);
            Set<Integer> extra = new TreeSet<>(seen);
            extra.removeAll(expected);
            throw ApiException.unavailable(
                    "state is being rebalanced (partitions not served: " + missing + ", unexpected: " + extra + ")",
                    retryAfter);
        }
    }

    private <A, P extends Part> Mono<P> fetch(HostInfo host, View<A, P> view, A args, RequestIds.Ids ids) {
        Class<P> type = view.partType();
        UriComponentsBuilder b = UriComponentsBuilder.newInstance()
                .scheme("http")
                .host(host.host())
                .port(host.port())
                .path(view.path());
        Map<String, Object> vars = new LinkedHashMap<>();
        view.toQuery().apply(args).forEach((k, v) -> {
            if (v != null) {
                b.queryParam(k, "{" + k + "}");
                vars.put(k, v);
            }
        });
        URI uri = b.encode().buildAndExpand(vars).toUri();
        HostInfo me = runtime.self();
        String self = me == null ? "" : me.host() + ":" + me.port();
        return client.get()
                .uri(uri)
                .header(RequestIds.REQUEST_ID, ids.requestId())
                .header(RequestIds.CORRELATION_ID, ids.correlationId())
                .header(FORWARDED_BY, self)
                .exchangeToMono(resp -> resp.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .<P>handle((body, sink) -> {
                            if (resp.statusCode().is2xxSuccessful()) {
                                sink.next(json.readValue(body, type));
                            } else {
                                sink.error(ApiException.unavailable(
                                        "instance " + host.host() + ":" + host.port() + " answered "
                                                + resp.statusCode().value() + ": " + detailOf(body),
                                        retryAfter));
                            }
                        }))
                .timeout(timeout)
                .onErrorMap(
                        e -> !(e instanceof ApiException),
                        e -> ApiException.unavailable(
                                "instance " + host.host() + ":" + host.port() + " did not answer: " + e, retryAfter));
    }

    private String detailOf(byte[] body) {
        try {
            var node = json.readTree(body);
            return node.path("detail").asString(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
    }
}
