package dev.cairn.features.online;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The online store in Redis ({@code redis://host:port[/db]}, {@code rediss://} for TLS). Each record is one string
 * key, {@code cairn:features:VIEW:KEY} (KEY the entity's {@link EntityKey#encoded()}), holding its event time and values
 * as {@link OnlineJson}; watermarks are the fields of the hash {@code cairn:features:watermarks}. Writes are MSETs of a
 * thousand records, pipelined (sent without waiting for each reply, then awaited together); reads fetch many entities
 * per round trip with MGET.
 */
public final class RedisOnlineStore implements OnlineStore {
    static final String PREFIX = "cairn:features:";
    static final String WATERMARKS = PREFIX + "watermarks";
    private static final int PIPELINE = 1_000;
    private static final int READ_CHUNK = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    /**
     * The connection of {@link #get}, which takes no lock: a Lettuce connection is shared safely by threads, and
     * serving calls {@code get} from every request thread at once (one lock made them wait for each other's round
     * trips). Writes switch their connection's automatic flushing off, so reads have one of their own.
     */
    private final StatefulRedisConnection<String, String> reads;
    private final String uri;

    private RedisOnlineStore(RedisClient client, StatefulRedisConnection<String, String> connection,
                             StatefulRedisConnection<String, String> reads, String uri) {
        this.client = client;
        this.connection = connection;
        this.reads = reads;
        this.uri = uri;
    }

    public static RedisOnlineStore open(String uri) {
        String shown = OnlineStores.redact(uri);
        RedisURI redisUri;
        try {
            redisUri = RedisURI.create(uri);
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("online", shown, "a Redis URI such as redis://host:6379 or redis://host:6379/2 (" + e.getMessage() + ")");
        }
        redisUri.setTimeout(TIMEOUT);
        RedisClient client = RedisClient.create(redisUri);
        try {
            return new RedisOnlineStore(client, client.connect(), client.connect(), shown);
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Cannot connect to the online store " + shown + ": "
                    + rootMessage(e), java.util.Map.of("online", shown), e);
        }
    }

    static String key(String view, EntityKey key) {
        return PREFIX + view + ":" + key.encoded();
    }

    @Override
    public synchronized void put(String view, List<OnlineRecord> records) {
        RedisAsyncCommands<String, String> async = connection.async();
        connection.setAutoFlushCommands(false);
        try {
            // One MSET per thousand records, all of a call's MSETs sent before their replies are awaited: a SET per
            // record, pipelined alike, cost a future and a reply each, and wrote a third as many records a second.
            List<RedisFuture<String>> replies = new ArrayList<>();
            for (int from = 0; from < records.size(); from += PIPELINE) {
                Map<String, String> chunk = new LinkedHashMap<>();
                for (OnlineRecord r : records.subList(from, Math.min(records.size(), from + PIPELINE))) {
                    chunk.put(key(view, r.key()), OnlineJson.record(r));
                }
                replies.add(async.mset(chunk));
            }
            connection.flushCommands();
            await(replies);
        } finally {
            connection.setAutoFlushCommands(true);
        }
    }

    @Override
    public List<Optional<OnlineRecord>> get(String view, List<EntityKey> keys) {
        RedisCommands<String, String> sync = reads.sync();
        List<Optional<OnlineRecord>> result = new ArrayList<>(keys.size());
        try {
            for (int from = 0; from < keys.size(); from += READ_CHUNK) {
                List<EntityKey> chunk = keys.subList(from, Math.min(keys.size(), from + READ_CHUNK));
                List<KeyValue<String, String>> values = sync.mget(chunk.stream().map(k -> key(view, k)).toArray(String[]::new));
                for (int i = 0; i < chunk.size(); i++) {
                    KeyValue<String, String> v = values.get(i);
                    result.add(v.hasValue() ? Optional.of(OnlineJson.record(chunk.get(i), v.getValue())) : Optional.empty());
                }
            }
        } catch (RedisException e) {
            throw failure("read", e);
        }
        return result;
    }

    @Override
    public synchronized void clear(String view) {
        RedisCommands<String, String> sync = connection.sync();
        try {
            ScanArgs args = ScanArgs.Builder.matches(PREFIX + view + ":*").limit(PIPELINE);
            KeyScanCursor<String> cursor = sync.scan(args);
            while (true) {
                if (!cursor.getKeys().isEmpty()) sync.del(cursor.getKeys().toArray(String[]::new));
                if (cursor.isFinished()) break;
                cursor = sync.scan(cursor, args);
            }
            sync.hdel(WATERMARKS, view);
        } catch (RedisException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized Optional<Watermark> watermark(String view) {
        try {
            String json = connection.sync().hget(WATERMARKS, view);
            return json == null ? Optional.empty() : Optional.of(OnlineJson.watermark(json));
        } catch (RedisException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized void setWatermark(Watermark watermark) {
        try {
            connection.sync().hset(WATERMARKS, watermark.view(), OnlineJson.watermark(watermark));
        } catch (RedisException e) {
            throw failure("write", e);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public synchronized void close() {
        reads.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private void await(List<? extends RedisFuture<?>> replies) {
        boolean done;
        try {
            done = LettuceFutures.awaitAll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, replies.toArray(RedisFuture[]::new));
        } catch (RedisException e) {
            throw failure("write", e);
        }
        if (!done) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "The online store " + uri + " did not answer within "
                    + TIMEOUT.toSeconds() + " s");
        }
        for (RedisFuture<?> reply : replies) {
            if (reply.getError() != null) {
                throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Cannot write to the online store " + uri + ": " + reply.getError());
            }
        }
    }

    private CairnException failure(String what, RedisException e) {
        return new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Cannot " + what + " the online store " + uri + ": " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Registers the {@code redis} and {@code rediss} schemes. */
    public static final class Provider implements OnlineStoreProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("redis", "rediss");
        }

        @Override
        public OnlineStore open(String uri) {
            return RedisOnlineStore.open(uri);
        }
    }
}
