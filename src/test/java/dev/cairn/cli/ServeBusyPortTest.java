package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `cairn serve` on a port another program holds. */
class ServeBusyPortTest {
    @Test
    void aBusyPortIsOneLineBeforeTheModelLoads() throws Exception {
        String model = Path.of(ServeBusyPortTest.class.getResource("/models/aidreams260K-f32.gguf").toURI()).toString();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliCapture r = CliCapture.run("serve", "--model", model, "--port", Integer.toString(port));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err().lines().toList()).as(r.err()).containsExactly(
                    "error: cannot listen on 127.0.0.1:" + port
                            + ": the port is in use (another server?); choose another with --port");
            assertThat(r.out()).isEmpty();
        }
    }
}
