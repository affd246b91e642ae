package io.logflow.alerts;

import java.util.Locale;

/** How urgent an alert is; chosen per rule. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    /** The name in JSON: {@code info}, {@code warning}, {@code critical}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the severity with this name in any case, or null when there is none */
    public static Severity parse(String text) {
        if (text == null) return null;
        String s = text.trim().toUpperCase(Locale.ROOT);
        for (Severity v : values()) {
            if (v.name().equals(s)) return v;
        }
        return null;
    }
}
