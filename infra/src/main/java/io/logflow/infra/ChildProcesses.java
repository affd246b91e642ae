package io.logflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the child processes of LogFlow's tools share (the local broker, the local server, the
 * end-to-end tests' Zipkin): stopping, shutdown hooks, log tails, ports.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** SIGTERM (a clean shutdown), then SIGKILL of it and its descendants if it outlives the timeout. */
    public static void stop(Process process, Duration timeout) {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a log file, or a note saying why there are none. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * A port free on the loopback address at the time of the call, for a child process to listen on.
     * Chosen below the kernel's ephemeral range where it is known (Linux: {@code
     * ip_local_port_range}): a port the kernel hands out for {@code bind(0)} is also the kind it
     * gives the local end of outgoing connections (Kafka clients open many), and one of those taking
     * it before the child binds made the child fail with "Address already in use".
     */
    public static int freePort() {
        int low = ephemeralLow();
        if (low > MIN_CHOSEN_PORT + 1000) {
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = random.nextInt(MIN_CHOSEN_PORT, low);
                if (bindable(port)) return port;
            }
        }
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static final int MIN_CHOSEN_PORT = 10_000;

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range, or 0 when unknown. */
    private static int ephemeralLow() {
        try {
            String range = java.nio.file.Files.readString(
                            java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * JVM options from an environment variable (e.g. a JFR recording while benchmarking), split at whitespace; none
     * when unset.
     */
    public static List<String> jvmOptions(String env) {
        return env == null || env.isBlank() ? List.of() : List.of(env.trim().split("\\s+"));
    }

    /**
     * Registers a shutdown hook that stops {@code process} (as {@link #stop}) when this JVM exits without closing it,
     * and returns it, for {@link #removeShutdownHook} on close: a child is never left behind.
     */
    static Thread stopOnExit(Process process, Duration timeout, String name) {
        Thread hook = new Thread(() -> stop(process, timeout), name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a shutdown hook that stops a child, unless the JVM is already shutting down (then the hook runs). */
    public static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook is running or has run
        }
    }

    /**
     * A log4j2 configuration for a Kafka-family child JVM (broker, Connect worker): everything at info into {@code
     * dir/logs/<logName>} (rolled at 50 MB, three kept), errors also on the console; {@code extraLines} add loggers.
     *
     * @param filePattern the layout of a line in the file
     */
    static Path writeLog4j2(Path dir, String logName, String filePattern, String... extraLines) throws IOException {
        Path logs = dir.resolve("logs");
        List<String> lines = new java.util.ArrayList<>(List.of(
                "status = warn",
                "appender.file.type = RollingFile",
                "appender.file.name = FILE",
                "appender.file.fileName = " + logs.resolve(logName),
                "appender.file.filePattern = " + logs.resolve(logName + ".%i"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = " + filePattern,
                "appender.file.policies.type = Policies",
                "appender.file.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.file.policies.size.size = 50MB",
                "appender.file.strategy.type = DefaultRolloverStrategy",
                "appender.file.strategy.max = 3",
                "appender.console.type = Console",
                "appender.console.name = CONSOLE",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                "appender.console.filter.threshold.type = ThresholdFilter",
                "appender.console.filter.threshold.level = error",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = FILE",
                "rootLogger.appenderRef.console.ref = CONSOLE"));
        lines.addAll(List.of(extraLines));
        lines.add("");
        Path file = dir.resolve("log4j2.properties");
        java.nio.file.Files.writeString(file, String.join("\n", lines));
        return file;
    }
}
