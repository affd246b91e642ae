package io.logflow.infra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A Kafka Connect worker in distributed mode ({@code ConnectDistributed}) as a child JVM, from the Maven Central jars
 * that module {@code infra/connect-local} resolves (its classpath is recorded in that module's jar at build time, as
 * Kafka declares it: connect-runtime, Kafka's MirrorMaker connectors, log4j2 logging). Connectors come from the
 * {@code plugin.path} the caller gives. Its configuration, status and offsets live in Kafka topics named after the
 * group ({@code <group>-configs}, {@code -offsets}, {@code -status}, replication factor 1), so a worker restarted with
 * the same group on the same cluster finds its connectors again; its directory only holds the worker's properties and
 * logs ({@code logs/connect.log}, {@code logs/console.log}).
 *
 * <p>Consumers of sink connectors read only committed records ({@code consumer.isolation.level=read_committed}: the
 * topology writes with exactly-once), and connectors may override any client setting
 * ({@code connector.client.config.override.policy=All}). Extra JVM options: {@code LOGFLOW_CONNECT_JAVA_OPTS}.
 */
public final class LocalConnect implements AutoCloseable {
    static final String DEFAULT_GROUP = "logflow-connect";
    private static final String CLASSPATH_RESOURCE = "/io/logflow/infra/connect/connect-worker.classpath";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final Path dir;
    private final int port;
    private final String groupId;
    private final Thread shutdownHook;

    private LocalConnect(Process process, Path dir, int port, String groupId) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.groupId = groupId;
        this.shutdownHook = new Thread(this::stopProcess, "local-connect-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A worker of group {@value #DEFAULT_GROUP}; see {@link #start(Path, String, int, List, String)}. */
    public static LocalConnect start(Path dir, String bootstrapServers, int port, List<Path> pluginPath) {
        return start(dir, bootstrapServers, port, pluginPath, DEFAULT_GROUP);
    }

    /**
     * Starts a worker and waits until its REST API answers {@code GET /connectors}.
     *
     * @param dir where the worker's properties and logs go
     * @param bootstrapServers the Kafka cluster it keeps its state in and its connectors work with
     * @param port REST port on 127.0.0.1, 0 for a free one
     * @param pluginPath directories (or jars) with connector plugins, may be empty
     * @param groupId the Connect cluster's group, also the prefix of its internal topics
     */
    public static LocalConnect start(
            Path dir, String bootstrapServers, int port, List<Path> pluginPath, String groupId) {
        Path home = dir.toAbsolutePath();
        int restPort = port == 0 ? ChildProcesses.freePort() : port;
        if (LocalPostgres.answers("127.0.0.1", restPort, Duration.ofMillis(200))) {
            throw new IllegalStateException("port " + restPort + " is already in use: another Connect worker running? "
                    + "Stop it or choose another port");
        }
        try {
            Files.createDirectories(home.resolve("logs"));
            Path config = writeWorkerConfig(home, bootstrapServers, restPort, pluginPath, groupId);
            Path log4j = ChildProcesses.writeLog4j2(
                    home,
                    "connect.log",
                    "[%d] %p %X{connector.context}%m (%c)%n"
                    // the worker's own Kafka clients are chatty at info
                    ,
                    "logger.clients.name = org.apache.kafka.clients",
                    "logger.clients.level = warn");
            List<String> command = new ArrayList<>(List.of(
                    javaBinary(),
                    "-Xms128m",
                    "-Xmx512m",
                    "-XX:+UseG1GC",
                    "-Djava.awt.headless=true",
                    "-Dlog4j2.configurationFile=" + log4j.toUri(),
                    "-Dkafka.logs.dir=" + home.resolve("logs")));
            command.addAll(ChildProcesses.jvmOptions(System.getenv("LOGFLOW_CONNECT_JAVA_OPTS")));
            command.addAll(List.of(
                    "-cp", workerClasspath(), "org.apache.kafka.connect.cli.ConnectDistributed", config.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            home.resolve("logs").resolve("console.log").toFile()))
                    .start();
            LocalConnect worker = new LocalConnect(process, home, restPort, groupId);
            try {
                worker.awaitReady();
            } catch (RuntimeException e) {
                worker.close();
                throw e;
            }
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Kafka Connect worker in " + home, e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the worker's REST API. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String groupId() {
        return groupId;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the worker cleanly (SIGTERM: it leaves its group and stops its tasks; killed after 30 s). */
    @Override
    public void close() {
        stopProcess();
        ChildProcesses.removeShutdownHook(shutdownHook);
    }

    private void stopProcess() {
        ChildProcesses.stop(process, Duration.ofSeconds(30));
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest connectors = HttpRequest.newBuilder(URI.create(url() + "/connectors"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka Connect worker exited with code " + process.exitValue()
                        + " during start-up; its log:\n" + startupLog());
            }
            try {
                if (http.send(connectors, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) return;
            } catch (IOException notYet) {
                // REST server not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka Connect", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka Connect", e);
            }
        }
        throw new IllegalStateException("the Kafka Connect worker did not answer GET /connectors within "
                + READY_TIMEOUT.toSeconds() + " s; its log:\n" + startupLog());
    }

    private String startupLog() {
        return ChildProcesses.tail(dir.resolve("logs").resolve("console.log"), 20) + "\n"
                + ChildProcesses.tail(dir.resolve("logs").resolve("connect.log"), 30);
    }

    private static Path writeWorkerConfig(
            Path dir, String bootstrapServers, int port, List<Path> pluginPath, String groupId) throws IOException {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("group.id", groupId);
        p.setProperty("config.storage.topic", groupId + "-configs");
        p.setProperty("offset.storage.topic", groupId + "-offsets");
        p.setProperty("status.storage.topic", groupId + "-status");
        // one broker: one replica of each internal topic
        p.setProperty("config.storage.replication.factor", "1");
        p.setProperty("offset.storage.replication.factor", "1");
        p.setProperty("status.storage.replication.factor", "1");
        p.setProperty("offset.storage.partitions", "5");
        p.setProperty("status.storage.partitions", "1");
        p.setProperty("listeners", "http://127.0.0.1:" + port);
        p.setProperty("rest.advertised.host.name", "127.0.0.1");
        p.setProperty("rest.advertised.port", String.valueOf(port));
        p.setProperty(
                "plugin.path",
                pluginPath.stream().map(x -> x.toAbsolutePath().toString()).collect(Collectors.joining(",")));
        // LogFlow's records are JSON without embedded schemas; a connector may choose otherwise
        p.setProperty("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.setProperty("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.setProperty("key.converter.schemas.enable", "false");
        p.setProperty("value.converter.schemas.enable", "false");
        // sink connectors see only what the exactly-once topology committed
        p.setProperty("consumer.isolation.level", "read_committed");
        p.setProperty("connector.client.config.override.policy", "All");
        p.setProperty("offset.flush.interval.ms", "10000");
        Path file = dir.resolve("worker.properties");
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "Written by LogFlow's LocalConnect on every start");
        }
        return file;
    }

    /** The worker's classpath, recorded at build time; fails clearly if a jar has gone missing. */
    static String workerClasspath() throws IOException {
        try (InputStream in = LocalConnect.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing from the classpath: build infra (and "
                        + "infra/connect-local) with Maven");
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String jar : cp.split(File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    throw new IllegalStateException(
                            "Kafka Connect jar " + jar + " is missing: rebuild with ./mvnw install -pl infra -am");
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
}
