package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {
    @Test
    void freePort_isBelowTheEphemeralRange_andBindable() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "no ephemeral range to stay out of on this system");
        int low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
        for (int i = 0; i < 20; i++) {
            int port = ChildProcesses.freePort();
            if (low > 11_000) assertThat(port).isBetween(10_000, low - 1);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
