package dev.cairn.server.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A copy of cairn-features' test helper (its test classes are not a jar other modules can use). A real {@code redis-server} (Debian's, /usr/bin/redis-server) for tests: started on a free port with a temporary
 * directory, nothing saved to disk, stopped by {@link #close()}. Without the binary the calling test is skipped with a
 * message saying so (CI installs it: .ci/apt-packages).
 */
final class RedisServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(Path directory) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "redis-server is not installed at " + BINARY
                + " (apt-get install redis-server): the tests serving features from Redis are skipped");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Process process = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", directory.toString()))
                    .redirectErrorStream(true).redirectOutput(directory.resolve("redis-" + port + ".log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (ping(port)) return new RedisServer(process, port);
                Thread.sleep(50);
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            last = new IOException("redis-server did not answer on port " + port + ": " + Files.readString(directory.resolve("redis-" + port + ".log")));
        }
        throw last;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    private static boolean ping(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
