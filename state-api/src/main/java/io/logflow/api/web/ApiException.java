package io.logflow.api.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An error with a definite HTTP answer; rendered as problem+json by {@link ProblemHandler}. */
public final class ApiException extends RuntimeException {
    public final HttpStatus status;
    final String parameter;
    final Duration retryAfter;
    /** Field errors of a rejected body ({@code errors: [{field, message}]}), or null. */
    final List<Map<String, String>> errors;

    private ApiException(HttpStatus status, String detail, String parameter, Duration retryAfter) {
        this(status, detail, parameter, retryAfter, null);
    }

    private ApiException(
            HttpStatus status, String detail, String parameter, Duration retryAfter, List<Map<String, String>> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.parameter = parameter;
        this.retryAfter = retryAfter;
        this.errors = errors;
    }

    /** 400 for a body with invalid fields: each error as {@code {field, message}}, and all of them in the detail. */
    public static ApiException invalidFields(List<Map<String, String>> errors) {
        StringBuilder detail = new StringBuilder("invalid fields: ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) detail.append("; ");
            detail.append(errors.get(i).get("field"))
                    .append(": ")
                    .append(errors.get(i).get("message"));
        }
        return new ApiException(HttpStatus.BAD_REQUEST, detail.toString(), null, null, List.copyOf(errors));
    }

    /** 409: the resource is not in a state that allows this (e.g. acknowledging a resolved alert). */
    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail, null, null);
    }

    public static ApiException badParameter(String parameter, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail, parameter, null);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail, null, null);
    }

    /**
     * 401: no valid credential. The detail goes to the client as it is, so it must not say which part was wrong
     * (whether a user exists, why a token was refused); {@link ProblemHandler} adds {@code WWW-Authenticate: Bearer}.
     */
    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, detail, null, null);
    }

    /** 403: the caller is known but its role does not allow this. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, detail, null, null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, detail, null, null);
    }

    public static ApiException tooLarge(String detail) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, detail, null, null);
    }

    /** 415: a Content-Type or Content-Encoding this route does not read. */
    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail, null, null);
    }

    /**
     * 429 with Retry-After: the caller went over a rate limit ({@code ratelimit}); {@code retryAfter} is rounded up
     * to whole seconds, at least one.
     */
    public static ApiException tooManyRequests(String detail, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, detail, null, Duration.ofSeconds(seconds));
    }

    /** 503 with Retry-After: the answer is not available yet (stores restoring, an instance away). */
    public static ApiException unavailable(String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, detail, null, retryAfter);
    }
}
