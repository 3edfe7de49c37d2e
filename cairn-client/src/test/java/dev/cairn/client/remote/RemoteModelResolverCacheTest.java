package dev.cairn.client.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.client.Cairn;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.uri.ModelReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the resolver does without a server (the downloads are tested against a real one in cairn-client-it). */
class RemoteModelResolverCacheTest {

    @TempDir
    Path dir;

    // Nothing listens here: any request would fail with TEMPORARILY_UNAVAILABLE.
    private final Cairn offline = Cairn.connect("http://127.0.0.1:" + freePort());

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("the default cache is $CAIRN_HOME/cache/models, CAIRN_HOME set as for the embedded stores")
    void defaultCache() {
        String before = System.getProperty("cairn.home");
        System.setProperty("cairn.home", dir.toString());
        try {
            assertThat(RemoteModelResolver.defaultCacheDir()).isEqualTo(dir.resolve("cache/models"));
            assertThat(offline.modelResolver().cacheDir()).isEqualTo(dir.resolve("cache/models"));
        } finally {
            if (before == null) System.clearProperty("cairn.home");
            else System.setProperty("cairn.home", before);
        }
    }

    @Test
    @DisplayName("a local path or file: URI is returned as it is, with no request")
    void localPathsNeedNoServer() throws IOException {
        Path pkg = Files.createDirectories(dir.resolve("pkg"));
        RemoteModelResolver resolver = offline.modelResolver(dir.resolve("cache"));
        assertThat(resolver.resolve(ModelReference.parse(pkg.toString()))).isEqualTo(pkg);
        assertThat(resolver.resolve(pkg.toUri().toString())).isEqualTo(pkg);
        assertThat(catchThrowableOfType(CairnException.class, () -> resolver.resolve(dir.resolve("absent").toString())).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(catchThrowableOfType(CairnException.class, () -> resolver.resolve("s3://bucket/model")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("a registered model with the server unreachable is TEMPORARILY_UNAVAILABLE")
    void unreachableServer() {
        RemoteModelResolver resolver = offline.modelResolver(dir.resolve("cache"));
        assertThat(catchThrowableOfType(CairnException.class, () -> resolver.resolve("models:/credit/1")).code())
                .isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
        assertThat(dir.resolve("cache")).doesNotExist();
    }
}
