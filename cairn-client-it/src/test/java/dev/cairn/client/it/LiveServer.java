package dev.cairn.client.it;

import dev.cairn.client.Cairn;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.nio.file.Path;

/**
 * A real Cairn server on port 0 over a SQLite file and an artifact directory in {@code dir}, as
 * {@code cairn server} runs it; closing it stops the server and closes its store.
 */
final class LiveServer implements AutoCloseable {

    final Path artifactDir;
    final ServerMain.RunningServer running;

    private LiveServer(Path artifactDir, ServerMain.RunningServer running) {
        this.artifactDir = artifactDir;
        this.running = running;
    }

    static LiveServer start(Path dir) {
        Path artifacts = dir.resolve("artifacts");
        return new LiveServer(artifacts, ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"),
                artifacts.toUri().toString(), "127.0.0.1", 0)));
    }

    String url() {
        return running.url();
    }

    Cairn connect(String user) {
        return Cairn.builder(url()).user(user).build();
    }

    @Override
    public void close() {
        running.close();
    }
}
