package io.logflow.api.ratelimit;

import io.logflow.api.web.ApiException;
import io.logflow.api.web.Responses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/rate-limits/status} ({@code ?limited=true}: only the limiters with no permit left; the first
 * {@value #MAX_ROWS} by key, {@code total} counting all) and {@code
 * DELETE /api/v1/rate-limits/reset/{id}}: this instance's limiters (admin only, by the gate). An id is a key as the
 * status shows it: {@code user:<id>}, {@code token:<id>}, {@code ip:<address>}, or a username for the
 * login-by-username limit.
 */
@Component
public class RateLimitsHandler {
    /** Most limiters one status answer lists (by key); {@code total} counts them all. */
    static final int MAX_ROWS = 1000;

    private final RateLimits rateLimits;

    RateLimitsHandler(RateLimits rateLimits) {
        this.rateLimits = rateLimits;
    }

    public Mono<ServerResponse> status(ServerRequest req) {
        String limitedParam = req.queryParam("limited").orElse(null);
        if (limitedParam != null && !limitedParam.equals("true") && !limitedParam.equals("false"))
            return Mono.error(ApiException.badParameter("limited", "limited must be true or false"));
        boolean onlyLimited = "true".equals(limitedParam);
        return Responses.json(status(rateLimits, onlyLimited));
    }

    public Mono<ServerResponse> reset(ServerRequest req) {
        String id = req.pathVariable("id");
        if (rateLimits.limiters().reset(id) == 0 && rateLimits.limiters().reset(RateLimits.usernameKey(id)) == 0)
            return Mono.error(ApiException.notFound("no rate limiter for " + id + " on this instance"));
        return ServerResponse.noContent().build();
    }

    static Map<String, Object> status(RateLimits rateLimits, boolean onlyLimited) {
        Limiters limiters = rateLimits.limiters();
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            Map<String, Object> limit = new LinkedHashMap<>();
            limit.put("limit", limiters.limit(g));
            limit.put("period_seconds", limiters.period(g).toSeconds());
            groups.put(g.wire(), limit);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int total = 0;
        for (Limiters.Status s : limiters.status()) {
            if (onlyLimited && !s.limited()) continue;
            if (++total > MAX_ROWS) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", s.key());
            row.put("group", s.group().wire());
            row.put("limit", s.limit());
            row.put("remaining", s.remaining());
            row.put("reset_seconds", s.resetSeconds());
            row.put("limited", s.limited());
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", rateLimits.enabled());
        body.put("groups", groups);
        body.put("total", total);
        body.put("limiters", rows);
        return body;
    }
}
