package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterMarkerTest {
    @TempDir
    Path dir;

    @Test
    void noMarker_belongsToNoOtherCluster() {
        ClusterMarker marker = new ClusterMarker(dir.resolve("logflow"));
        assertThat(marker.read()).isEmpty();
        assertThat(marker.belongsToAnotherCluster("abc")).isFalse();
    }

    @Test
    void writtenId_isReadBack_andAnotherIdIsAnotherCluster() throws Exception {
        ClusterMarker marker = new ClusterMarker(dir.resolve("logflow")); // created on write
        marker.write("cluster-1");
        assertThat(marker.file()).hasContent("cluster-1");
        assertThat(marker.read()).contains("cluster-1");
        assertThat(marker.belongsToAnotherCluster("cluster-1")).isFalse();
        assertThat(marker.belongsToAnotherCluster("cluster-2")).isTrue();

        marker.write("cluster-2");
        assertThat(marker.read()).contains("cluster-2");
        try (var files = Files.list(dir.resolve("logflow"))) {
            assertThat(files).containsExactly(marker.file()); // no temporary file left behind
        }
    }
}
