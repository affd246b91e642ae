package org.elasticsearch.io.ansi;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Stands in for the distribution's {@code lib/tools/ansi-console} (a JANSI console), which Maven Central does not
 * publish: Elasticsearch loads this class by name from that directory and asks it for a console to print to. There is
 * none (the node runs as a child process with its output in a file), which Elasticsearch accepts as "no console".
 */
public final class AnsiConsoleLoader implements Supplier<PrintStream> {
    @Override
    public PrintStream get() {
        return null;
    }
}
