package io.logflow.alerts;

import java.util.Locale;

/**
 * How a metric's value is compared with a rule's threshold. Values closer than a tiny relative
 * epsilon ({@link #EPSILON}) count as equal for every condition, so that {@code equals},
 * {@code greater_than} and {@code less_than} never hold together and a rate computed as 3/10 equals
 * a threshold of 0.3.
 */
public enum Condition {
    GREATER_THAN("greater_than"),
    LESS_THAN("less_than"),
    EQUALS("equals"),
    GREATER_THAN_OR_EQUAL("greater_than_or_equal"),
    LESS_THAN_OR_EQUAL("less_than_or_equal");

    /** Relative tolerance of equality, scaled by the larger magnitude (at least 1). */
    public static final double EPSILON = 1e-9;

    private final String wire;

    Condition(String wire) {
        this.wire = wire;
    }

    /** The name in JSON, e.g. {@code greater_than}. */
    public String wire() {
        return wire;
    }

    /** True when {@code value <condition> threshold} holds. */
    public boolean test(double value, double threshold) {
        boolean equal = nearlyEqual(value, threshold);
        return switch (this) {
            case GREATER_THAN -> value > threshold && !equal;
            case LESS_THAN -> value < threshold && !equal;
            case EQUALS -> equal;
            case GREATER_THAN_OR_EQUAL -> value > threshold || equal;
            case LESS_THAN_OR_EQUAL -> value < threshold || equal;
        };
    }

    /** The operator for humans: {@code >}, {@code <}, {@code =}, {@code >=}, {@code <=}. */
    public String symbol() {
        return switch (this) {
            case GREATER_THAN -> ">";
            case LESS_THAN -> "<";
            case EQUALS -> "=";
            case GREATER_THAN_OR_EQUAL -> ">=";
            case LESS_THAN_OR_EQUAL -> "<=";
        };
    }

    static boolean nearlyEqual(double a, double b) {
        if (a == b) return true;
        double scale = Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
        return Math.abs(a - b) <= EPSILON * scale;
    }

    /** @return the condition with this wire name in any case, or null when there is none */
    public static Condition parse(String text) {
        if (text == null) return null;
        String s = text.trim().toLowerCase(Locale.ROOT);
        for (Condition c : values()) {
            if (c.wire.equals(s)) return c;
        }
        return null;
    }
}
