package dev.cairn.features.online;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded online store: an SQLite file with one row per (view, entity). The values are one JSON object per row
 * rather than typed columns: every view has its own features and types, a new version of a view needs no DDL, the
 * values a read returns are decoded from the very encoding Redis keeps ({@link OnlineJson}), and a read fetches whole
 * records anyway. The event time is a column of its own, in epoch microseconds.
 */
public final class SqliteOnlineStore implements OnlineStore {
    private static final int SCHEMA_VERSION = 1;
    private static final int READ_CHUNK = 500;

    private final Connection connection;
    private final String uri;

    private SqliteOnlineStore(Connection connection, String uri) {
        this.connection = connection;
        this.uri = uri;
    }

    /** Opens (creating when missing) the file of {@code sqlite:/path/online.db}. */
    public static SqliteOnlineStore open(String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) rest = rest.substring(2);
        if (rest.isBlank()) throw CairnException.invalid("online", uri, "sqlite:/path/online.db");
        Path file = Path.of(rest).toAbsolutePath().normalize();
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA busy_timeout = 30000");
                s.execute("CREATE TABLE IF NOT EXISTS online_features (view TEXT NOT NULL, entity_key TEXT NOT NULL, "
                        + "event_time INTEGER NOT NULL, feature_values TEXT NOT NULL, PRIMARY KEY (view, entity_key)) WITHOUT ROWID");
                s.execute("CREATE TABLE IF NOT EXISTS online_watermarks (view TEXT NOT NULL PRIMARY KEY, watermark TEXT NOT NULL)");
                s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            return new SqliteOnlineStore(connection, "sqlite:" + file);
        } catch (SQLException | IOException e) {
            throw CairnException.invalid("online", uri, "an SQLite file that can be opened and written (" + e.getMessage() + ")");
        }
    }

    @Override
    public synchronized void put(String view, List<OnlineRecord> records) {
        write(() -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO online_features (view, entity_key, event_time, "
                    + "feature_values) VALUES (?, ?, ?, ?) ON CONFLICT (view, entity_key) DO UPDATE SET event_time = excluded.event_time, "
                    + "feature_values = excluded.feature_values")) {
                for (OnlineRecord r : records) {
                    insert.setString(1, view);
                    insert.setString(2, r.key().encoded());
                    insert.setLong(3, OnlineJson.micros(r.eventTime()));
                    insert.setString(4, OnlineJson.values(r.values()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /** One entity's record by primary key, prepared once: what a single-row prediction reads, per view. */
    private PreparedStatement selectOne;

    @Override
    public synchronized List<Optional<OnlineRecord>> get(String view, List<EntityKey> keys) {
        if (keys.size() == 1) return List.of(getOne(view, keys.getFirst()));
        Map<String, OnlineRecord> found = new HashMap<>();
        try {
            for (int from = 0; from < keys.size(); from += READ_CHUNK) {
                List<EntityKey> chunk = keys.subList(from, Math.min(keys.size(), from + READ_CHUNK));
                String placeholders = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement select = connection.prepareStatement("SELECT entity_key, event_time, feature_values FROM "
                        + "online_features WHERE view = ? AND entity_key IN (" + placeholders + ")")) {
                    select.setString(1, view);
                    Map<String, EntityKey> byEncoded = new HashMap<>();
                    for (int i = 0; i < chunk.size(); i++) {
                        String encoded = chunk.get(i).encoded();
                        byEncoded.put(encoded, chunk.get(i));
                        select.setString(i + 2, encoded);
                    }
                    try (ResultSet r = select.executeQuery()) {
                        while (r.next()) {
                            String encoded = r.getString(1);
                            found.put(encoded, new OnlineRecord(byEncoded.get(encoded), OnlineJson.instant(r.getLong(2)),
                                    OnlineJson.values(r.getString(3))));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        List<Optional<OnlineRecord>> result = new ArrayList<>(keys.size());
        for (EntityKey k : keys) result.add(Optional.ofNullable(found.get(k.encoded())));
        return result;
    }

    private Optional<OnlineRecord> getOne(String view, EntityKey key) {
        try {
            if (selectOne == null) {
                selectOne = connection.prepareStatement("SELECT event_time, feature_values FROM online_features WHERE view = ? AND entity_key = ?");
            }
            selectOne.setString(1, view);
            selectOne.setString(2, key.encoded());
            try (ResultSet r = selectOne.executeQuery()) {
                return r.next() ? Optional.of(new OnlineRecord(key, OnlineJson.instant(r.getLong(1)), OnlineJson.values(r.getString(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized void clear(String view) {
        write(() -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM online_features WHERE view = ?");
                 PreparedStatement mark = connection.prepareStatement("DELETE FROM online_watermarks WHERE view = ?")) {
                delete.setString(1, view);
                delete.executeUpdate();
                mark.setString(1, view);
                mark.executeUpdate();
            }
        });
    }

    @Override
    public synchronized Optional<Watermark> watermark(String view) {
        try (PreparedStatement select = connection.prepareStatement("SELECT watermark FROM online_watermarks WHERE view = ?")) {
            select.setString(1, view);
            try (ResultSet r = select.executeQuery()) {
                return r.next() ? Optional.of(OnlineJson.watermark(r.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized void setWatermark(Watermark watermark) {
        write(() -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO online_watermarks (view, watermark) VALUES (?, ?) "
                    + "ON CONFLICT (view) DO UPDATE SET watermark = excluded.watermark")) {
                upsert.setString(1, watermark.view());
                upsert.setString(2, OnlineJson.watermark(watermark));
                upsert.executeUpdate();
            }
        });
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public synchronized void close() {
        try {
            if (selectOne != null) selectOne.close();
            connection.close();
        } catch (SQLException ignored) {
            // Closing; nothing is left to write.
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** One transaction: all of it or nothing. */
    private void write(Work work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private CairnException failure(String what, SQLException e) {
        return new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Cannot " + what + " the online store " + uri + ": " + e.getMessage(), e);
    }

    /** Registers the {@code sqlite} scheme. */
    public static final class Provider implements OnlineStoreProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("sqlite");
        }

        @Override
        public OnlineStore open(String uri) {
            return SqliteOnlineStore.open(uri);
        }
    }
}
