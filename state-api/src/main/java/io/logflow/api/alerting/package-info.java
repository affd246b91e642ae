/**
 * Alerting: the rules API (PostgreSQL first, then the compacted rules topic the topology reads),
 * triggered alerts (the alerts topic consumed into PostgreSQL; acknowledge and resolve), and
 * notifications (webhook, Slack, console, each with a link to the alert's page in the UI) with retries. Uses
 * {@code db}, {@code web}, {@code config}, {@code cluster} (this instance's address) and the {@code alert-rules}
 * module.
 */
package io.logflow.api.alerting;
