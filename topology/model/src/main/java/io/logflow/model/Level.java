package io.logflow.model;

import java.util.Locale;

/** Log severity, normalised from the many spellings shippers use. Ordinal order is severity order. */
public enum Level {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    private static final Level[] VALUES = values();

    /** True for the levels counted as errors in error counts and rates (ERROR and FATAL). */
    public boolean isError() {
        return this == ERROR || this == FATAL;
    }

    public static Level ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /**
     * Parses a level name in any case: TRACE, DEBUG, INFO, WARN/WARNING, ERROR/ERR, FATAL/CRITICAL
     * (plus the syslog-style NOTICE, ALERT, EMERG and OpenTelemetry's numbered variants such as INFO2).
     *
     * @return the level, or null when the text names no level
     */
    public static Level parse(String text) {
        if (text == null) return null;
        String s = text.trim().toUpperCase(Locale.ROOT);
        // OpenTelemetry severity_text may carry a number suffix: "INFO2", "ERROR3"
        int end = s.length();
        while (end > 0 && Character.isDigit(s.charAt(end - 1))) end--;
        if (end == 0) return null;
        s = s.substring(0, end);
        return switch (s) {
            case "TRACE", "FINEST", "FINER" -> TRACE;
            case "DEBUG", "FINE", "CONFIG" -> DEBUG;
            case "INFO", "INFORMATION", "NOTICE" -> INFO;
            case "WARN", "WARNING" -> WARN;
            case "ERROR", "ERR", "SEVERE" -> ERROR;
            case "FATAL", "CRITICAL", "CRIT", "ALERT", "EMERG", "EMERGENCY", "PANIC" -> FATAL;
            default -> null;
        };
    }

    /** Maps an OpenTelemetry SeverityNumber (1-24) to a level; null for 0 (unspecified) or out of range. */
    public static Level ofSeverityNumber(int n) {
        if (n >= 1 && n <= 4) return TRACE;
        if (n >= 5 && n <= 8) return DEBUG;
        if (n >= 9 && n <= 12) return INFO;
        if (n >= 13 && n <= 16) return WARN;
        if (n >= 17 && n <= 20) return ERROR;
        if (n >= 21 && n <= 24) return FATAL;
        return null;
    }
}
