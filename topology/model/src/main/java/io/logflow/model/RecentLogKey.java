package io.logflow.model;

/**
 * Keys of {@link io.logflow.model.schema.Stores#RECENT_LOGS}: {@code service|LEVEL|slot}. Each
 * (service, level) pair owns a ring of {@code slots} entries, so a flood of INFO logs never pushes
 * the last ERRORs out.
 * Prefix-scan {@link #servicePrefix} to read one service; parse with {@link #parse} and compare
 * the service exactly (a service name may itself contain '|').
 */
public record RecentLogKey(String service, Level level, int slot) {
    public String encode() {
        return service + '|' + level.name() + '|' + slot;
    }

    public static String servicePrefix(String service) {
        return service + '|';
    }

    public static String levelPrefix(String service, Level level) {
        return service + '|' + level.name() + '|';
    }

    /** Cursor key in {@link io.logflow.model.schema.Stores#RECENT_LOGS_CURSOR}. */
    public static String cursorKey(String service, Level level) {
        return service + '|' + level.name();
    }

    public static RecentLogKey parse(String key) {
        int last = key.lastIndexOf('|');
        int mid = key.lastIndexOf('|', last - 1);
        return new RecentLogKey(
                key.substring(0, mid),
                Level.valueOf(key.substring(mid + 1, last)),
                Integer.parseInt(key.substring(last + 1)));
    }
}
