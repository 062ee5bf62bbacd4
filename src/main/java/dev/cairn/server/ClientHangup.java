package dev.cairn.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether the client of a non-streaming request has hung up. Jetty notices a closed connection only when it reads or
 * writes, and a non-streaming request writes nothing until its answer is complete, so a client that gave up would
 * keep its slot busy to the end. The kernel knows at once: on Linux the connection's TCP state is in /proc/net/tcp
 * (and tcp6), CLOSE_WAIT once the client sent FIN, gone after a reset. Where those tables cannot be read this never
 * reports a hang-up and the request runs to its end. A client that half-closes and still waits for the answer is
 * taken as gone, as llama.cpp's server (a peek that sees end-of-stream) takes it.
 */
final class ClientHangup {
    private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};
    private static final String ESTABLISHED = "01";
    private static final String CLOSE_WAIT = "08";
    private static final String CLOSE = "07";

    private final String localPort;
    private final String remotePort;
    private boolean seen;

    /** The connection is the one from the client's {@code remotePort} to this server's {@code localPort}. */
    ClientHangup(int localPort, int remotePort) {
        this.localPort = String.format(Locale.ROOT, ":%04X", localPort);
        this.remotePort = String.format(Locale.ROOT, ":%04X", remotePort);
    }

    /** True once the client is known to have closed or reset the connection. */
    boolean hungUp() {
        String state = state();
        if (state == null) {
            return seen; // it was there and is gone: reset (or the tables are unreadable, then never seen)
        }
        seen = true;
        return state.equals(CLOSE_WAIT) || state.equals(CLOSE);
    }

    /** The connection's state as the kernel's hex code; ESTABLISHED wins over stale entries; null when not listed. */
    private String state() {
        String found = null;
        for (Path table : TABLES) {
            try (BufferedReader r = Files.newBufferedReader(table)) {
                r.readLine(); // column titles
                for (String line; (line = r.readLine()) != null; ) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(localPort) && f[2].endsWith(remotePort)) {
                        if (f[3].equals(ESTABLISHED)) {
                            return ESTABLISHED;
                        }
                        found = f[3];
                    }
                }
            } catch (IOException | UncheckedIOException | SecurityException e) {
                // not Linux, or /proc hidden: nothing to learn from this table
            }
        }
        return found;
    }
}
