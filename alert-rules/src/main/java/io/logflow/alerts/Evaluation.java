package io.logflow.alerts;

/**
 * The outcome of evaluating one rule for one service at one moment.
 *
 * @param value the metric's current value (count, fraction, milliseconds or minutes of silence)
 * @param breached true when the rule's condition holds for the value — the alert should fire (or
 *     keep firing)
 */
public record Evaluation(double value, boolean breached) {}
