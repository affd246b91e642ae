/**
 * Rate limits (issue 17): {@code RateLimits}, the web filter right after the gate, gives each request a {@code
 * Group} by method and path and takes one permit from the caller's limiter of that group in {@code Limiters} (one
 * resilience4j {@code RateLimiter} per group and key, kept in memory, idle ones swept). The key is the {@code
 * Principal}'s (a user, an ingest token), else the client address ({@code ClientAddress}); login and register are
 * always per address, and login also per username ({@code RateLimits.checkLogin}, called by the login handler).
 * Over a limit: 429 problem+json with Retry-After, through {@code ApiException}; every limited answer carries {@code
 * RateLimit-Limit}, {@code -Remaining} and {@code -Reset}. {@code RateLimitsHandler} answers the admin's status and
 * reset. Limits are per instance. Uses {@code config} (settings, metrics), {@code web} and {@code auth.Principal}.
 */
package io.logflow.api.ratelimit;
