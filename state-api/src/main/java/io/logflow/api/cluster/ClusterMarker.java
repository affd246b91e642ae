package io.logflow.api.cluster;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The id of the Kafka cluster whose topics the local state was built from, kept in a file beside that state
 * ({@code <state.dir>/<application.id>/logflow-cluster-id}). State built from another cluster (Kafka reset, or
 * {@code KAFKA_BOOTSTRAP_SERVERS} pointed elsewhere) holds checkpoints that mean nothing there, so it is wiped before
 * Kafka Streams starts (ADR 017).
 */
final class ClusterMarker {
    static final String FILE_NAME = "logflow-cluster-id";

    private final Path file;

    /** @param applicationStateDir Kafka Streams' directory of the application: {@code <state.dir>/<application.id>} */
    ClusterMarker(Path applicationStateDir) {
        this.file = requireNonNull(applicationStateDir, "applicationStateDir").resolve(FILE_NAME);
    }

    Path file() {
        return file;
    }

    /** The cluster id recorded last, or empty when none was (new state directory, or state of an older LogFlow). */
    Optional<String> read() {
        try {
            if (!Files.isRegularFile(file)) return Optional.empty();
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Records {@code clusterId}, replacing the file atomically (a crash leaves the old or the new id, never half). */
    void write(String clusterId) {
        requireNonNull(clusterId, "clusterId");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, clusterId + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
