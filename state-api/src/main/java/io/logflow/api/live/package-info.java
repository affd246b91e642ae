/**
 * Server-Sent Events that resume without gaps: the live tail of {@code logflow.logs} and the alert
 * stream of {@code logflow.alerts}, each one group-less reader per instance fanning records out to
 * its clients, with position-vector event ids (ADR 004). Uses {@code web} and {@code config}.
 */
package io.logflow.api.live;
