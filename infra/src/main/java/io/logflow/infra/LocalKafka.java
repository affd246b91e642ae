package io.logflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker run as a child JVM from the Maven Central broker jars
 * (their classpath is written into this module's jar at build time, see infra/pom.xml). Used by
 * {@code ./logflow up} (data kept in a directory across restarts) and by integration tests
 * (temporary directory, free ports). The broker is never on the application's classpath.
 *
 * <p>Production users point LogFlow at their own cluster with {@code KAFKA_BOOTSTRAP_SERVERS}; this
 * class exists so that one machine runs everything without Docker.
 */
public final class LocalKafka implements AutoCloseable {
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path dataDir;
    private final String bootstrapServers;
    private final boolean deleteOnClose;
    private final Thread shutdownHook;

    private LocalKafka(Process process, Path dataDir, String bootstrapServers, boolean deleteOnClose) {
        this.process = process;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
        this.deleteOnClose = deleteOnClose;
        // Never leave a broker behind when the JVM that started it exits.
        this.shutdownHook = new Thread(this::stopProcess, "local-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the broker (formatting its storage on first use) and waits until it accepts clients.
     *
     * @param dataDir where the broker keeps its logs and metadata; reused across restarts
     * @param port client port, 0 for a free one
     */
    public static LocalKafka start(Path dataDir, int port) {
        return start(dataDir, port, false);
    }

    /** A broker in a fresh temporary directory on free ports, deleted on {@link #close()}: for tests. */
    public static LocalKafka startTemporary() {
        try {
            return start(Files.createTempDirectory("logflow-kafka-"), 0, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LocalKafka start(Path dataDir, int port, boolean deleteOnClose) {
        try {
            Path dir = dataDir.toAbsolutePath();
            Files.createDirectories(dir.resolve("logs"));
            int clientPort = port == 0 ? ChildProcesses.freePort() : port;
            int controllerPort = freePortOtherThan(clientPort);
            if (isListening(clientPort)) {
                throw new IllegalStateException("port " + clientPort + " is already in use: another Kafka running? "
                        + "Stop it, choose another port, or set KAFKA_BOOTSTRAP_SERVERS to use it");
            }
            Path config = writeConfig(dir, clientPort, controllerPort);
            Path log4j = ChildProcesses.writeLog4j2(dir, "server.log", "[%d] %p %m (%c)%n");
            String classpath = brokerClasspath();
            if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
                format(classpath, config, dir);
            }
            List<String> command = new ArrayList<>(List.of(
                    javaBinary(),
                    "-Xms256m",
                    "-Xmx512m",
                    "-XX:+UseG1GC",
                    "-Djava.awt.headless=true",
                    "-Dlog4j2.configurationFile=" + log4j.toUri(),
                    "-Dkafka.logs.dir=" + dir.resolve("logs")));
            command.addAll(ChildProcesses.jvmOptions(System.getenv("LOGFLOW_KAFKA_JAVA_OPTS")));
            command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("logs").resolve("console.log").toFile()));
            Process process = pb.start();
            String bootstrap = "127.0.0.1:" + clientPort;
            LocalKafka kafka = new LocalKafka(process, dir, bootstrap, deleteOnClose);
            try {
                kafka.awaitReady();
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Kafka broker in " + dataDir, e);
        }
    }

    /** host:port for bootstrap.servers */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The broker's process id (benchmarks read its CPU time). */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the broker cleanly (SIGTERM: the broker flushes and closes its logs), then waits. */
    @Override
    public void close() {
        stopProcess();
        ChildProcesses.removeShutdownHook(shutdownHook);
        if (deleteOnClose) deleteRecursively(dataDir);
    }

    private void stopProcess() {
        ChildProcesses.stop(process, Duration.ofSeconds(30));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                        + " during start-up; its log:\n" + startupLog());
            }
            if (isListening(Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1)))) {
                try (Admin admin = Admin.create(adminConfig)) {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // broker listening but not ready yet
                }
            }
            sleep(200);
        }
        throw new IllegalStateException("the Kafka broker did not become ready within " + READY_TIMEOUT.toSeconds()
                + " s; its log:\n" + startupLog());
    }

    private String startupLog() {
        return ChildProcesses.tail(dataDir.resolve("logs").resolve("console.log"), 20) + "\n"
                + ChildProcesses.tail(dataDir.resolve("logs").resolve("server.log"), 30);
    }

    private static Path writeConfig(Path dir, int clientPort, int controllerPort) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "6");
        p.setProperty("auto.create.topics.enable", "false");
        // single node: every internal topic has one replica
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("message.max.bytes", String.valueOf(10 * 1024 * 1024));
        p.setProperty("log.retention.check.interval.ms", "60000");
        Path file = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "Written by LogFlow's LocalKafka on every start");
        }
        return file;
    }

    private static void format(String classpath, Path config, Path dir) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Process format = new ProcessBuilder(
                        javaBinary(),
                        "-Xmx256m",
                        "-Dlog4j2.configurationFile="
                                + dir.resolve("log4j2.properties").toUri(),
                        "-cp",
                        classpath,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        clusterId,
                        "-c",
                        config.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(format.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage in " + dir + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    /** The broker's classpath, recorded at build time; fails clearly if a jar has gone missing. */
    static String brokerClasspath() throws IOException {
        try (InputStream in = LocalKafka.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the infra module with Maven");
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String jar : cp.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    throw new IllegalStateException(
                            "Kafka broker jar " + jar + " is missing: rebuild with ./mvnw install -pl infra");
                }
            }
            return cp;
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePortOtherThan(int port) {
        int p;
        do {
            p = ChildProcesses.freePort();
        } while (p == port);
        return p;
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }
}
