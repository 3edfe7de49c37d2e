package dev.cairn.pipeline.snapshot;

import dev.cairn.core.hash.Sha256;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SHA-256 of a table's logical content: its columns (name and DuckDB type) and its rows in order, each value
 * in a canonical binary encoding. Why not the Parquet file's bytes: DuckDB writes the same rows as different bytes
 * depending on how the table was built (rows appended from JDBC, a CSV read with one thread or four), so a hash of
 * the bytes would store the same data twice and miss a step cache for no reason. The encoding is Cairn's own and
 * versioned ({@link #SCHEME}), independent of the writer's version and of the JVM's time zone.
 *
 * <p>Encoding, fed to one digest: the scheme, the column count, each column's name and type; then per row, per
 * value, a one-byte tag followed by the value: null {@code 0}; boolean {@code Z}+1 byte; integers that fit in
 * 64 bits {@code J}+8 bytes; floating point {@code D}+the double's bits (every NaN the same); big integers
 * {@code I}, decimals {@code M} (their text keeps the scale) and anything else {@code X} as text; strings
 * {@code S}; dates {@code d}+epoch day; times {@code t}+nano of day; timestamps {@code T}, instants {@code O} as
 * epoch second and nano. Text is its UTF-8 length then its bytes. The row count ends the stream.
 */
final class ContentHash {
    static final String SCHEME = "cairn.rows/v1";
    private static final int BUFFER = 1 << 16;

    /** A hash with what it covered. */
    record Result(String sha256, long rows, List<Column> columns) {}

    private ContentHash() {}

    /** Hashes {@code SELECT * FROM relation} as it comes, streamed (never all rows in memory). */
    static Result of(Connection connection, String relation) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery("SELECT * FROM " + relation)) {
            ResultSetMetaData meta = rows.getMetaData();
            int n = meta.getColumnCount();
            List<Column> columns = new ArrayList<>(n);
            Encoder out = new Encoder();
            out.text(SCHEME);
            out.int64(n);
            boolean[] localTimestamp = new boolean[n];
            for (int i = 1; i <= n; i++) {
                String type = meta.getColumnTypeName(i);
                columns.add(new Column(meta.getColumnLabel(i), type, ColumnKind.ofDuckType(type)));
                out.text(meta.getColumnLabel(i));
                out.text(type);
                String t = type.toUpperCase(Locale.ROOT);
                localTimestamp[i - 1] = t.startsWith("TIMESTAMP") && !t.contains("TIME ZONE");
            }
            long count = 0;
            while (rows.next()) {
                count++;
                for (int i = 1; i <= n; i++) {
                    // java.sql.Timestamp would go through the JVM's zone: ask for the wall-clock value itself.
                    Object value = localTimestamp[i - 1] ? rows.getObject(i, LocalDateTime.class) : rows.getObject(i);
                    out.value(value, rows, i);
                }
            }
            out.int64(count);
            return new Result(out.finish(), count, columns);
        }
    }

    /** A buffered writer into the digest. */
    private static final class Encoder {
        private final MessageDigest digest = Sha256.newDigest();
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);

        void value(Object value, ResultSet rows, int column) throws SQLException {
            switch (value) {
                case null -> tag('0');
                case Boolean b -> {
                    tag('Z');
                    room(1);
                    buffer.put((byte) (b ? 1 : 0));
                }
                case Byte b -> integer(b);
                case Short s -> integer(s);
                case Integer i -> integer(i);
                case Long l -> integer(l);
                case Float f -> real(f.doubleValue());
                case Double d -> real(d);
                case BigInteger big -> tagged('I', big.toString());
                case BigDecimal decimal -> tagged('M', decimal.toString());
                case String s -> tagged('S', s);
                case LocalDate date -> {
                    tag('d');
                    int64(date.toEpochDay());
                }
                case LocalTime time -> {
                    tag('t');
                    int64(time.toNanoOfDay());
                }
                case LocalDateTime timestamp -> {
                    tag('T');
                    int64(timestamp.toEpochSecond(ZoneOffset.UTC));
                    int64(timestamp.getNano());
                }
                case OffsetDateTime instant -> {
                    tag('O');
                    int64(instant.toEpochSecond());
                    int64(instant.getNano());
                }
                default -> tagged('X', rows.getString(column));
            }
        }

        private void integer(long v) {
            tag('J');
            int64(v);
        }

        private void real(double v) {
            tag('D');
            int64(Double.doubleToLongBits(v));
        }

        private void tagged(char tag, String text) {
            tag(tag);
            text(text);
        }

        private void tag(char tag) {
            room(1);
            buffer.put((byte) tag);
        }

        void int64(long v) {
            room(8);
            buffer.putLong(v);
        }

        void text(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            int64(bytes.length);
            if (bytes.length > buffer.remaining()) {
                flush();
                digest.update(bytes);
            } else {
                buffer.put(bytes);
            }
        }

        private void room(int bytes) {
            if (buffer.remaining() < bytes) flush();
        }

        private void flush() {
            digest.update(buffer.array(), 0, buffer.position());
            buffer.clear();
        }

        String finish() {
            flush();
            return Sha256.hex(digest);
        }
    }
}
