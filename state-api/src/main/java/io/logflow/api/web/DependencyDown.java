package io.logflow.api.web;

/**
 * Implemented by the package of each backend LogFlow depends on (PostgreSQL today): recognises in a
 * failed request that its dependency is down, so that {@link ProblemHandler} answers 503 with
 * Retry-After — the feature that needs it degraded, not the server — and logs one line instead of a
 * stack trace.
 */
public interface DependencyDown {
    /** What is down and why, as the problem's detail, when {@code e} (or a cause) says so; else null. */
    String describe(Throwable e);
}
