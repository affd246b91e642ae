package io.logflow.api.auth;

import org.springframework.http.HttpMethod;

/**
 * Who may send a request, decided from its method and path alone (ADR 027's table, first match wins). Pure, so
 * every row is a unit test; {@link Gate} enforces it.
 */
public enum Access {
    /** Anyone: the UI's files, health, login and what the login page offers, the public keys. */
    OPEN,
    /** An ingest token, unless {@code LOGFLOW_INGEST_AUTH=off}. */
    INGEST,
    /** Another instance of this deployment, with a cluster token; never a user. */
    INTERNAL,
    /** Anyone when {@code LOGFLOW_PROMETHEUS_OPEN=true}, else an admin. */
    PROMETHEUS,
    /** Any signed-in user, whatever the role. */
    USER,
    VIEWER,
    EDITOR,
    ADMIN;

    static final String API = "/api/v1/";
    static final String AUTH = API + "auth/";
    static final String STREAMS = API + "stream/";

    /** The role a user needs, or null for the kinds that are not about roles. */
    public Role role() {
        return switch (this) {
            case VIEWER, USER -> Role.VIEWER;
            case EDITOR -> Role.EDITOR;
            case ADMIN -> Role.ADMIN;
            default -> null;
        };
    }

    public static Access of(HttpMethod method, String path) {
        boolean read = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        if (HttpMethod.OPTIONS.equals(method)) return OPEN; // CORS preflights (Cors answers them when enabled)
        if (read && isUiOrPublic(path)) return OPEN;
        if (HttpMethod.POST.equals(method)) {
            switch (path) {
                case AUTH + "login", AUTH + "refresh", AUTH + "logout", AUTH + "register" -> {
                    return OPEN;
                }
                case API + "logs", "/v1/traces", "/v1/logs", "/v1/metrics" -> {
                    return INGEST;
                }
                default -> {}
            }
        }
        if (path.equals("/internal") || path.startsWith("/internal/")) return INTERNAL;
        if (path.equals("/actuator/prometheus")) return read ? PROMETHEUS : ADMIN;
        if (path.equals(AUTH + "me") || (HttpMethod.POST.equals(method) && path.equals(AUTH + "stream-ticket")))
            return USER;
        if (under(path, AUTH + "users")
                || under(path, AUTH + "tokens")
                || under(path, API + "rate-limits")
                || (!read && under(path, API + "cache"))) return ADMIN;
        if (!read && under(path, API + "alerts")) return EDITOR;
        if (read) return VIEWER;
        return ADMIN;
    }

    /** True for the stream routes, where a ticket may stand in for the access token. */
    static boolean isStream(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && path.startsWith(STREAMS);
    }

    private static boolean isUiOrPublic(String path) {
        return switch (path) {
            case "/",
                    "/docs",
                    "/openapi.yaml",
                    "/favicon.ico",
                    "/health",
                    AUTH + "options",
                    "/actuator/health",
                    "/.well-known/jwks.json" -> true;
            default -> path.startsWith("/ui/") || path.startsWith("/webjars/") || path.startsWith("/actuator/health/");
        };
    }

    private static boolean under(String path, String base) {
        return path.equals(base) || path.startsWith(base + "/");
    }
}
