package io.logflow.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, as {@link Gate} established it before any handler runs: a user (access token or stream ticket),
 * an ingest token, another instance of this deployment, or nobody. Kept on the exchange under {@link #ATTRIBUTE};
 * handlers and the rate limiter read it from there, never from headers.
 */
public sealed interface Principal {
    String ATTRIBUTE = Principal.class.getName();

    /** The rate limiter's bucket owner: {@code user:<id>}, {@code token:<id>}, {@code instance:<id>} or null. */
    String limitKey();

    /** A user with a verified access token (its role as stored now). */
    record UserPrincipal(AuthUser user) implements Principal {
        public UserPrincipal {
            requireNonNull(user, "user");
        }

        @Override
        public String limitKey() {
            return "user:" + user.id();
        }
    }

    /** A named ingest token (a service-account token: it may only send logs and traces). */
    record IngestPrincipal(UUID tokenId, String name) implements Principal {
        public IngestPrincipal {
            requireNonNull(tokenId, "tokenId");
            requireNonNull(name, "name");
        }

        @Override
        public String limitKey() {
            return "token:" + tokenId;
        }
    }

    /** Another instance of this deployment, asking for its part of a fan-out query. */
    record InstancePrincipal(String instanceId) implements Principal {
        public InstancePrincipal {
            requireNonNull(instanceId, "instanceId");
        }

        @Override
        public String limitKey() {
            return "instance:" + instanceId;
        }
    }

    /** Nobody: an open route (login, health, the UI's files) or ingest with {@code LOGFLOW_INGEST_AUTH=off}. */
    enum Anonymous implements Principal {
        INSTANCE;

        @Override
        public String limitKey() {
            return null;
        }
    }

    static Principal of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE) instanceof Principal p ? p : Anonymous.INSTANCE;
    }

    static Principal of(ServerRequest request) {
        return request.attribute(ATTRIBUTE).orElse(Anonymous.INSTANCE) instanceof Principal p ? p : Anonymous.INSTANCE;
    }

    /** The calling user; a 401 when the request has none (a route the gate should have closed). */
    static AuthUser user(ServerRequest request) {
        if (of(request) instanceof UserPrincipal u) return u.user();
        throw BearerAuth.unauthorized();
    }

    /** Marks an exchange's caller (the gate's part only). */
    static void set(ServerWebExchange exchange, Principal principal) {
        exchange.getAttributes().put(ATTRIBUTE, principal);
    }
}
