package io.logflow.api.cluster;

import io.logflow.api.web.ApiException;
import io.logflow.api.web.Responses;
import io.logflow.api.web.Staleness;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /internal/v1/{view}}: this instance's own part of a query, asked by the instance that
 * received the public request. A view with a key is answered only by the key's owner (a moved key
 * is a 503, so the asking instance retries rather than trusting an empty answer); a fan-out view
 * answers for every partition assigned here.
 */
@Component
public class InternalHandler {
    public static final String PREFIX = "/internal/v1";
    /** Response header naming the partitions an instance read from replicas (see {@link #staleHeader}). */
    static final String STALE = "X-LogFlow-Stale-Partitions";

    private final StreamsRuntime runtime;

    private final Map<String, View<?, ?>> views = new HashMap<>();

    InternalHandler(List<QueryViews> providers, StreamsRuntime runtime) {
        this.runtime = runtime;
        for (QueryViews p : providers) {
            for (View<?, ?> v : p.views()) {
                if (views.putIfAbsent(v.name(), v) != null)
                    throw new IllegalStateException("two views named " + v.name());
            }
        }
    }

    public Mono<ServerResponse> answer(ServerRequest req) {
        View<?, ?> view = views.get(req.pathVariable("view"));
        if (view == null) return Mono.error(ApiException.notFound("no view " + req.pathVariable("view")));
        return read(view, req);
    }

    private <A, P extends Part> Mono<ServerResponse> read(View<A, P> view, ServerRequest req) {
        A args = view.fromQuery().apply(req.queryParams());
        Set<Integer> partitions =
                ReadScope.parse(req.queryParam(ReadScope.PARAMETER).orElse(null));
        if (partitions == null)
            return Responses.blocking(() -> view.read().apply(args)).flatMap(Responses::json);
        HostInfo self = runtime.self();
        ReadScope scope = new ReadScope(partitions, self == null ? "" : Placement.name(self));
        return Responses.blocking(() -> scope.run(() -> view.read().apply(args)))
                .flatMap(part -> {
                    var ok = ServerResponse.ok().contentType(MediaType.APPLICATION_JSON);
                    if (!scope.stale.isEmpty()) ok = ok.header(STALE, staleHeader(scope.stale));
                    return ok.bodyValue(part);
                });
    }

    /** The replica-read partitions of a part, as {@code store/partition=lag,...}. */
    static String staleHeader(Staleness stale) {
        return String.join(
                ",",
                stale.entries().stream()
                        .map(e -> e.store() + "/" + e.partition() + "=" + e.lag())
                        .toList());
    }

    /** The header of {@link #staleHeader} read back, for the answering {@code instance}; null when absent. */
    static Staleness staleFrom(String header, String instance) {
        if (header == null || header.isBlank()) return null;
        Staleness out = new Staleness();
        for (String item : header.split(",")) {
            int slash = item.lastIndexOf('/');
            int eq = item.lastIndexOf('=');
            if (slash <= 0 || eq < slash) continue;
            try {
                out.add(new Staleness.Entry(
                        item.substring(0, slash),
                        Integer.parseInt(item.substring(slash + 1, eq)),
                        instance,
                        Long.parseLong(item.substring(eq + 1))));
            } catch (NumberFormatException ignored) {
                // not ours: skip it
            }
        }
        return out;
    }
}
