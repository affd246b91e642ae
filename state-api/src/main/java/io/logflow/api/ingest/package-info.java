/**
 * Ingest: {@code POST /api/v1/logs} (JSON, arrays, NDJSON; validated with the topology's own
 * normaliser, produced as sent) and the OTLP/HTTP receiver ({@code /v1/traces}, {@code /v1/logs},
 * {@code /v1/metrics}). Answers once Kafka acknowledged. Uses {@code web} and {@code config}.
 */
package io.logflow.api.ingest;
