package io.logflow.api.ratelimit;

import io.logflow.api.config.LogFlowProperties;
import java.util.Locale;
import org.springframework.http.HttpMethod;

/**
 * The endpoint groups that have a limit each, and which requests belong to which. Health, the UI's files, the docs,
 * the JWKS, actuator, CORS preflights and {@code /internal/**} (other instances: ADR 016) belong to none.
 */
enum Group {
    /** {@code POST /api/v1/auth/login}, per client address. */
    LOGIN,
    /** {@code POST /api/v1/auth/login}, per username (the handler asks, once it has read the body). */
    LOGIN_USERNAME,
    /** {@code POST /api/v1/auth/register}, per client address. */
    REGISTER,
    /** {@code GET /api/v1/logs/search}, {@code GET /api/v1/traces}: the expensive reads. */
    SEARCH,
    /** Every other {@code GET}/{@code HEAD} of {@code /api/**}, the streams' opening included. */
    READ,
    /** Every other {@code POST}/{@code PUT}/{@code PATCH}/{@code DELETE} of {@code /api/**}. */
    WRITE,
    /** {@code POST /api/v1/logs} and OTLP/HTTP ({@code POST /v1/traces}, {@code /v1/logs}, {@code /v1/metrics}). */
    INGEST;

    /** As the status answer and the metric's tag say it: {@code login-username}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the key is always the client address, even for a caller with a token. */
    boolean perAddress() {
        return this == LOGIN || this == REGISTER;
    }

    LogFlowProperties.Limit limit(LogFlowProperties.RateLimits limits) {
        return switch (this) {
            case LOGIN -> limits.login();
            case LOGIN_USERNAME -> limits.loginUsername();
            case REGISTER -> limits.register();
            case SEARCH -> limits.search();
            case READ -> limits.read();
            case WRITE -> limits.write();
            case INGEST -> limits.ingest();
        };
    }

    /** The group of a request, or null when it is not limited. */
    static Group of(HttpMethod method, String path) {
        if (method == null || HttpMethod.OPTIONS.equals(method)) return null;
        boolean get = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        boolean post = HttpMethod.POST.equals(method);
        if (post
                && (path.equals("/api/v1/logs")
                        || path.equals("/v1/traces")
                        || path.equals("/v1/logs")
                        || path.equals("/v1/metrics"))) return INGEST;
        if (!path.startsWith("/api/")) return null;
        if (post && path.equals("/api/v1/auth/login")) return LOGIN;
        if (post && path.equals("/api/v1/auth/register")) return REGISTER;
        if (get && (path.equals("/api/v1/logs/search") || path.equals("/api/v1/traces"))) return SEARCH;
        if (get) return READ;
        if (post
                || HttpMethod.PUT.equals(method)
                || HttpMethod.PATCH.equals(method)
                || HttpMethod.DELETE.equals(method)) return WRITE;
        return null;
    }
}
