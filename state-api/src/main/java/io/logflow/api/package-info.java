/**
 * The LogFlow server: the Spring Boot application, {@code Routes} (the one route table) and {@code
 * HealthHandler} (every capability's health in one answer). May use every package below; nothing
 * below uses it.
 *
 * <ul>
 *   <li>{@code config} — settings, metrics, Kafka clients, JSON: used by all.
 *   <li>{@code web} — problem+json, parameters, request ids, body limits, shared responses.
 *   <li>{@code db} — PostgreSQL (R2DBC) and its migrations.
 *   <li>{@code cache} — the Redis cache of the expensive query answers.
 *   <li>{@code cluster} — the embedded Kafka Streams runtime and interactive queries across instances.
 *   <li>{@code query} — the read API over the state stores (metrics, logs, traces, dependencies).
 *   <li>{@code ingest} — JSON logs and the OTLP/HTTP receiver.
 *   <li>{@code live} — Server-Sent Events: the live tail and the alert stream.
 *   <li>{@code alerting} — alert rules, triggered alerts, notifications.
 * </ul>
 */
package io.logflow.api;
