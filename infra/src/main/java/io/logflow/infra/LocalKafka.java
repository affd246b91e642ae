package io.logflow.infra;

import java.nio.file.Path;

/**
 * A real single-node KRaft Kafka broker run as a child JVM from the Maven Central broker jars.
 * Used by {@code ./logflow up} (data kept in a directory across restarts) and by integration tests
 * (temporary directory, free ports). Never on the application's classpath.
 */
public final class LocalKafka implements AutoCloseable {
  // TODO(infra helper): implement

  /**
   * Starts (formatting the storage on first use) and waits until the broker accepts connections.
   *
   * @param dataDir where the broker keeps its logs and metadata; reused across restarts
   * @param port client port, 0 for a free one
   */
  public static LocalKafka start(Path dataDir, int port) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** host:port for bootstrap.servers */
  public String bootstrapServers() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Stops the broker cleanly (SIGTERM, then waits). */
  @Override
  public void close() {}
}
