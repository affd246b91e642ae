/**
 * What every HTTP route shares: RFC 9457 problem+json errors ({@code ApiException}, {@code
 * ProblemHandler}), parameter parsing with the parameter named in the error ({@code Params}),
 * request and correlation ids ({@code RequestIds}, the first WebFilter), CORS for {@code /api/**} when
 * configured ({@code Cors}, the second), the browser-facing headers on every answer ({@code SecurityHeaders}), body
 * size limits, request
 * coalescing, JSON answers and blocking reads off the event loop ({@code Responses}). Uses {@code
 * config} only.
 */
package io.logflow.api.web;
