package io.logflow.alerts;

import java.util.Locale;

/**
 * Where a rule's alerts are notified. {@link #WEBHOOK} and {@link #SLACK} need a {@code url} in the
 * rule's {@code notification_config}; see {@link Notifications} for the payloads.
 */
public enum Channel {
    /** A log line of the API instance that sends the notification. */
    CONSOLE,
    /** An HTTP POST of the alert event JSON. */
    WEBHOOK,
    /** An HTTP POST of a Slack incoming-webhook message. */
    SLACK;

    /** The name in JSON: {@code console}, {@code webhook}, {@code slack}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the channel posts to {@code notification_config.url}. */
    public boolean needsUrl() {
        return this != CONSOLE;
    }

    /** @return the channel with this name in any case, or null when there is none */
    public static Channel parse(String text) {
        if (text == null) return null;
        String s = text.trim().toUpperCase(Locale.ROOT);
        for (Channel v : values()) {
            if (v.name().equals(s)) return v;
        }
        return null;
    }
}
