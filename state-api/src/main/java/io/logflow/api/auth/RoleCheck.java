package io.logflow.api.auth;

import io.logflow.api.web.ApiException;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * A handler's own check of the caller's role, behind the gate's (ADR 027): the gate decides by route, a handler
 * repeats the role its route needs so that a route added without its policy line still fails closed. A refusal is a
 * 403 problem+json (rendered by {@code ProblemHandler} like every {@code ErrorResponse}).
 */
public final class RoleCheck {
    private RoleCheck() {}

    /** The calling user when its role includes {@code least}; a 401 without a user, a 403 with too low a role. */
    public static AuthUser require(ServerRequest request, Role least) {
        AuthUser user = Principal.user(request);
        if (!user.role().includes(least)) throw forbidden("this needs the role " + least.wire() + " or higher");
        return user;
    }

    /** A 403 with {@code detail} as the problem's detail (it goes to the client as it is). */
    public static ApiException forbidden(String detail) {
        return ApiException.forbidden(detail);
    }
}
