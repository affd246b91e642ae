/**
 * The read API over the state stores. Each capability is one class that declares its views and
 * reads ({@code ServiceStats}, {@code RecentLogs}, {@code TraceStores}, {@code TraceLogs}, {@code
 * RedMetrics}, and {@code SystemVitals}: every instance's own vitals) and one handler that merges
 * parts into answers ({@code MetricsHandler}, {@code RecentLogs}, {@code TraceHandler}, {@code
 * RedMetrics}, {@code SystemVitals}); merging and shaping are pure static functions ({@code Merge},
 * {@code TraceAssembly}, the handlers' {@code …View} factories), tested without a server. The expensive fan-out
 * answers go through {@code cache.AnswerCache}. Uses {@code cluster}, {@code cache}, {@code web}, {@code config} and
 * the topology's model.
 */
package io.logflow.api.query;
