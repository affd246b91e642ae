package io.logflow.api.cluster;

import io.logflow.api.auth.ClusterCredentials;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.RequestIds;
import io.logflow.api.web.Responses;
import io.logflow.api.web.Staleness;
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
import java.util.function.Predicate;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
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
    /** How long an instance that did not answer is asked only when no other replica is left. */
    static final Duration SUSPECT_FOR = Duration.ofSeconds(10);

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Cluster.class);
    private final Map<HostInfo, Long> suspects = new java.util.concurrent.ConcurrentHashMap<>();

    private final StoreMetadata metadata;
    private final JsonMapper json;
    private final WebClient client;
    private final Duration timeout;
    private final Duration retryAfter;

    Cluster(
            StoreMetadata metadata,
            JsonMapper json,
            LogFlowProperties props,
            ReactorResourceFactory resources,
            ClusterCredentials credentials) {
        this.metadata = metadata;
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
                // the other instances answer /internal/** to a cluster token only (ADR 027)
                .filter(credentials.filter())
                .build();
    }

    /**
     * The part of the instance holding {@code key} in the view's store: its active owner, or — when the owner is
     * suspected dead or does not answer — a standby or restoring replica, whose answer is noted stale.
     */
    public <A, P extends Part> Mono<P> byKey(View<A, P> view, String key, A args, RequestIds.Ids ids) {
        return byKey(view, key, args, ids, p -> true);
    }

    /**
     * As {@link #byKey(View, String, Object, RequestIds.Ids)}, for a lookup that may miss: a part read from a replica
     * that is behind and does not satisfy {@code found} is not taken for an answer while another replica is left to
     * ask (a standby restoring from scratch does not know the key yet); when none answers better, it is the answer.
     */
    public <A, P extends Part> Mono<P> byKey(
            View<A, P> view, String key, A args, RequestIds.Ids ids, Predicate<P> found) {
        return Mono.defer(() -> {
                    Placement.Key k = metadata.keyReplicas(view.store().apply(args), key);
                    Map<Integer, List<HostInfo>> replicas = Map.of(k.partition(), k.hosts());
                    return gather(view, args, ids, replicas, Set.of(k.partition()), Set.of(), found)
                            .map(parts -> parts.get(0));
                })
                .retryWhen(whileRebalancing());
    }

    /**
     * Every partition of the view's store, each read once: from its active owner, or from a replica when the owner
     * is suspected dead or does not answer (noted stale); checked to cover each partition exactly once.
     */
    public <A, P extends Part> Mono<List<P>> fanOut(View<A, P> view, A args, RequestIds.Ids ids) {
        return Mono.defer(() -> {
                    Map<Integer, List<HostInfo>> replicas =
                            metadata.replicasOf(view.store().apply(args));
                    return gather(view, args, ids, replicas, replicas.keySet(), Set.of(), p -> true)
                            .map(parts -> {
                                requireComplete(replicas.keySet(), parts, retryAfter);
                                return parts;
                            });
                })
                .retryWhen(whileRebalancing());
    }

    /**
     * A query that found no replica able to answer (every one tried failed, or the assignment is changing) is asked
     * again from the start — fresh metadata, every replica — for about 3 s in all: a rebalance or
     * a store moving from standby to active makes a partition unreadable for a moment, and a short wait answers the
     * query rather than the client's retry.
     */
    private Retry whileRebalancing() {
        return Retry.backoff(REASK_ATTEMPTS, REASK_FIRST_BACKOFF)
                .maxBackoff(REASK_WITHIN.dividedBy(2))
                .jitter(0.2)
                .filter(Cluster::unavailable)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    /**
     * Re-asked at most this many times, after about 50, 100, 200, 400, 400, 400, 400, 400, 400 ms (~2.75 s): a
     * graceful restart on a loaded machine (InstanceFailoverIT beside a benchmark, load average 17) took longer than
     * the ~1.5 s of six re-asks, and a slow answer is worth more than a 503.
     */
    static final int REASK_ATTEMPTS = 9;

    static final Duration REASK_FIRST_BACKOFF = Duration.ofMillis(50);
    /** Twice the longest wait between two re-asks. */
    static final Duration REASK_WITHIN = Duration.ofMillis(800);

    /** A failure that asking again may not have: a 503, or a store closed under the read by a rebalance. */
    static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException a) return a.status.value() == 503;
            if (t instanceof InvalidStateStoreException) return true;
        }
        return false;
    }

    /**
     * Reads {@code partitions} where {@link Placement#plan} says; the partitions of an instance that fails (does not
     * answer, or answers 503) are asked again of their next replica, until none is left. A part from a replica that
     * is behind and not {@code found} is checked with the next replica first.
     */
    private <A, P extends Part> Mono<List<P>> gather(
            View<A, P> view,
            A args,
            RequestIds.Ids ids,
            Map<Integer, List<HostInfo>> replicas,
            Set<Integer> partitions,
            Set<HostInfo> tried,
            Predicate<P> found) {
        Map<HostInfo, Set<Integer>> plan = Placement.plan(
                replicas,
                partitions,
                tried,
                this::suspected,
                view.store().apply(args).name(),
                retryAfter);
        List<Mono<List<P>>> calls = new ArrayList<>();
        plan.forEach((host, ps) -> {
            Set<HostInfo> triedHere = plus(tried, host);
            calls.add(readAt(host, view, args, ids, ps)
                    .flatMap(r -> {
                        if (found.test(r.part()) || !behind(r.stale()))
                            return Staleness.note(r.stale()).thenReturn(List.of(r.part()));
                        ApiException missed = ApiException.unavailable(
                                "the replica of " + Placement.name(host) + " is behind and does not have the key yet",
                                retryAfter);
                        return Placement.anyLeft(replicas, ps, triedHere)
                                ? gather(view, args, ids, replicas, ps, triedHere, found)
                                : Mono.error(missed);
                    })
                    .onErrorResume(
                            Cluster::worthAnotherReplica,
                            e -> Placement.anyLeft(replicas, ps, triedHere)
                                    ? gather(view, args, ids, replicas, ps, triedHere, found)
                                    : Mono.error(e)));
        });
        return Flux.merge(calls).collectList().map(lists -> {
            List<P> out = new ArrayList<>();
            lists.forEach(out::addAll);
            return out;
        });
    }

    /** Whether a part was read, at least in part, from a replica that had not applied all of its changelog. */
    private static boolean behind(Staleness stale) {
        return stale != null && stale.entries().stream().anyMatch(e -> e.lag() != 0);
    }

    /** A failure another replica may not have: anything but a client error. */
    private static boolean worthAnotherReplica(Throwable e) {
        return !(e instanceof ApiException a) || a.status.is5xxServerError();
    }

    private static Set<HostInfo> plus(Set<HostInfo> set, HostInfo host) {
        Set<HostInfo> out = new HashSet<>(set);
        out.add(host);
        return out;
    }

    /** One instance's part, and which of its partitions were read from replicas (null or empty: none). */
    private record Read<P>(P part, Staleness stale) {}

    /** One instance's part for {@code partitions}: read here, or asked of it. */
    private <A, P extends Part> Mono<Read<P>> readAt(
            HostInfo host, View<A, P> view, A args, RequestIds.Ids ids, Set<Integer> partitions) {
        if (!metadata.isSelf(host)) return fetch(host, view, args, ids, partitions);
        ReadScope scope = new ReadScope(partitions, Placement.name(host));
        return Responses.blocking(() -> scope.run(() -> view.read().apply(args)))
                .map(p -> new Read<>(p, scope.stale));
    }

    /** Whether {@code host} failed to answer in the last {@link #SUSPECT_FOR}: its partitions go to replicas first. */
    boolean suspected(HostInfo host) {
        Long until = suspects.get(host);
        if (until == null) return false;
        if (System.nanoTime() - until < 0) return true;
        suspects.remove(host, until);
        return false;
    }

    private void suspect(HostInfo host, Throwable why) {
        if (suspects.put(host, System.nanoTime() + SUSPECT_FOR.toNanos()) == null)
            log.warn(
                    "instance {} did not answer ({}); asking its partitions of the replicas for {} s",
                    Placement.name(host),
                    why.toString(),
                    SUSPECT_FOR.toSeconds());
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
        return Mono.defer(() -> ask(metadata.instances(), view, args, ids));
    }

    <A, P extends Part> Mono<List<Reply<P>>> ask(List<HostInfo> hosts, View<A, P> view, A args, RequestIds.Ids ids) {
        List<Mono<Reply<P>>> calls = new ArrayList<>();
        for (HostInfo host : hosts) {
            String name = host.host() + ":" + host.port();
            Mono<P> call = Mono.defer(() -> metadata.isSelf(host) ? local(view, args) : fetch(host, view, args, ids));
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
        return fetch(host, view, args, ids, null).map(Read::part);
    }

    /** Asks {@code host} for its part ({@code partitions}: the ones chosen for it, null: its active ones). */
    private <A, P extends Part> Mono<Read<P>> fetch(
            HostInfo host, View<A, P> view, A args, RequestIds.Ids ids, Set<Integer> partitions) {
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
        if (partitions != null) {
            b.queryParam(ReadScope.PARAMETER, "{" + ReadScope.PARAMETER + "}");
            vars.put(
                    ReadScope.PARAMETER,
                    String.join(",", partitions.stream().map(String::valueOf).toList()));
        }
        URI uri = b.encode().buildAndExpand(vars).toUri();
        HostInfo me = metadata.self();
        String self = me == null ? "" : me.host() + ":" + me.port();
        return client.get()
                .uri(uri)
                .header(RequestIds.REQUEST_ID, ids.requestId())
                .header(RequestIds.CORRELATION_ID, ids.correlationId())
                .header(FORWARDED_BY, self)
                .exchangeToMono(resp -> resp.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            if (!resp.statusCode().is2xxSuccessful())
                                return Mono.error(ApiException.unavailable(
                                        "instance " + Placement.name(host) + " answered "
                                                + resp.statusCode().value() + ": " + detailOf(body),
                                        retryAfter));
                            suspects.remove(host);
                            P part = json.readValue(body, type);
                            String stale = resp.headers().asHttpHeaders().getFirst(InternalHandler.STALE);
                            return Mono.just(new Read<>(part, InternalHandler.staleFrom(stale, Placement.name(host))));
                        }))
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof ApiException), e -> {
                    suspect(host, e);
                    return ApiException.unavailable(
                            "instance " + Placement.name(host) + " did not answer: " + e, retryAfter);
                });
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
