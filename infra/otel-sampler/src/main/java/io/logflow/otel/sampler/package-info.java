/**
 * LogFlow's OpenTelemetry Java agent extension: the {@code logflow} sampler of its own traces. Depends only on what the
 * agent provides (the SDK and the contrib samplers); nothing in LogFlow depends on this package at compile time.
 */
package io.logflow.otel.sampler;
