package io.logflow.api;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** An error with a definite HTTP answer; rendered as problem+json by {@link ProblemHandler}. */
final class ApiException extends RuntimeException {
  final HttpStatus status;
  final String parameter;
  final Duration retryAfter;

  private ApiException(HttpStatus status, String detail, String parameter, Duration retryAfter) {
    super(detail, null, false, false);
    this.status = status;
    this.parameter = parameter;
    this.retryAfter = retryAfter;
  }

  static ApiException badParameter(String parameter, String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, detail, parameter, null);
  }

  static ApiException badRequest(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, detail, null, null);
  }

  static ApiException notFound(String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, detail, null, null);
  }

  static ApiException tooLarge(String detail) {
    return new ApiException(HttpStatus.CONTENT_TOO_LARGE, detail, null, null);
  }

  /** 415: a Content-Type or Content-Encoding this route does not read. */
  static ApiException unsupportedMediaType(String detail) {
    return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail, null, null);
  }

  /** 503 with Retry-After: the answer is not available yet (stores restoring, an instance away). */
  static ApiException unavailable(String detail, Duration retryAfter) {
    return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, detail, null, retryAfter);
  }
}
