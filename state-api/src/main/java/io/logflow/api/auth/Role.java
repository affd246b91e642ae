package io.logflow.api.auth;

import java.util.Locale;

/** What a user may do, each including the ones before it: read; change rules and alerts; administer. */
public enum Role {
    VIEWER,
    EDITOR,
    ADMIN;

    /** As stored and in the {@code role} claim: {@code viewer}, {@code editor}, {@code admin}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a wire name, or null when it names none. */
    public static Role fromWire(String s) {
        if (s == null) return null;
        for (Role r : values()) if (r.wire().equals(s)) return r;
        return null;
    }

    /** True when this role includes {@code other} (an admin may do what an editor may). */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}
