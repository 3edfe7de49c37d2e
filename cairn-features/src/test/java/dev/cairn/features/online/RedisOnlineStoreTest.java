package dev.cairn.features.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Redis online store, on a real redis-server")
class RedisOnlineStoreTest extends OnlineStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static RedisServer redis;
    private static Path redisDir;

    @BeforeAll
    static void startRedis() throws Exception {
        redisDir = Files.createTempDirectory("cairn-redis-");
        redis = RedisServer.start(redisDir);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) redis.close();
        if (redisDir != null) dev.cairn.data.source.LoadedTable.deleteRecursively(redisDir);
    }

    /** Each test its own logical database (Redis has 16), so tests start empty. */
    @Override
    protected OnlineStore openStore() {
        return OnlineStores.open(redis.uri() + "/" + DATABASES.incrementAndGet() % 16);
    }

    @Test
    void anUnreachableServerIsTemporarilyUnavailable() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> OnlineStores.open("redis://127.0.0.1:" + closed))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("redis://127.0.0.1:" + closed);
                });
    }
}
