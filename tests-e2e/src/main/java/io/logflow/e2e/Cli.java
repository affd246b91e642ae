package io.logflow.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} / {@code --name=value} options and {@code --flag}s without a value; anything
 * unknown or malformed is an {@link IllegalArgumentException}.
 */
final class Cli {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    Cli(String command, String[] args) {
        this(command, args, Set.of());
    }

    /** @param flags the options that take no value ({@link #flag}) */
    Cli(String command, String[] args, Set<String> flags) {
        this.command = command;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            int eq = a.indexOf('=');
            if (flags.contains(a)) {
                values.put(a, "true");
            } else if (eq > 0) {
                if (flags.contains(a.substring(0, eq)))
                    throw new IllegalArgumentException(a.substring(0, eq) + " takes no value");
                values.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                values.put(a, args[++i]);
            }
        }
    }

    /** Whether a flag was given. */
    boolean flag(String name) {
        return values.remove(name) != null;
    }

    String string(String name, String dflt) {
        String v = values.remove(name);
        return v == null ? dflt : v;
    }

    int integer(String name, int dflt) {
        String v = values.remove(name);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    double decimal(String name, double dflt) {
        String v = values.remove(name);
        if (v == null) return dflt;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    /** Fails on options nobody asked for. */
    void done() {
        if (!values.isEmpty())
            throw new IllegalArgumentException(
                    "unknown option " + values.keySet().iterator().next() + " for " + command);
    }
}
