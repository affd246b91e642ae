package io.logflow.api.cluster;

import io.logflow.api.web.ApiException;
import io.logflow.api.web.Responses;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final Map<String, View<?, ?>> views = new HashMap<>();

    InternalHandler(List<QueryViews> providers) {
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

    private static <A, P extends Part> Mono<ServerResponse> read(View<A, P> view, ServerRequest req) {
        A args = view.fromQuery().apply(req.queryParams());
        return Responses.blocking(() -> view.read().apply(args)).flatMap(Responses::json);
    }
}
