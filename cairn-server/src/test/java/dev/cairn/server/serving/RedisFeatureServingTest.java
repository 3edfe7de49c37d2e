package dev.cairn.server.serving;

import dev.cairn.features.online.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Serving with features from Redis (a real redis-server)")
class RedisFeatureServingTest extends FeatureServingContract {
    private RedisServer redis;

    @Override
    String onlineStore(Path dir) throws Exception {
        redis = RedisServer.start(dir);
        return redis.uri();
    }

    @Override
    void stopOnlineStore() {
        if (redis != null) redis.close();
    }
}
