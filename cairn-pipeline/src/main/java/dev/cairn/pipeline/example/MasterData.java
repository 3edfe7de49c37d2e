package dev.cairn.pipeline.example;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.pipeline.engine.Workspace;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The example's "master data": a shop's {@code customers} (the 1,000 applicants of credit-g with their label) and
 * their {@code sales}, in a JDBC database (an SQLite file, or PostgreSQL), with the feature view
 * {@value #FEATURE_VIEW} the pipelines read, and a simulated clock that runs the shop day by day.
 * <pre>{@code
 * MasterData shop = MasterData.create("jdbc:sqlite:/data/master.db", MasterData.Settings.of(42, LocalDate.of(2024, 3, 1)));
 * shop.switchDrift(LocalDate.of(2024, 3, 15));          // from then on the shop sells online; newcomers change
 * for (LocalDate night = LocalDate.of(2024, 3, 1); night.getMonthValue() == 3; night = night.plusDays(1)) {
 *     shop.addCustomers(night, 10);                      // labels known labelDelayDays later
 *     shop.advanceDay(night);                            // the day's sales; labels that came due
 *     // run the nightly pipeline: it scores SELECT * FROM customer_features
 * }
 * }</pre>
 * Everything is deterministic: the same settings and the same calls make the same tables ({@link #checksum()}),
 * on SQLite and on PostgreSQL alike. Each call is one transaction on a connection of its own.
 * <p>
 * The tables (see {@link MasterSchema}): {@code customers} (customer_id, credit-g's 20 attributes, class good/bad
 * or NULL until known, labelled_day, registered_at, registered_day), {@code sales} (sale_id, customer_id, sold_at,
 * sold_day, amount, channel store/online/phone, category, payment card/invoice/instalments, returned), the views
 * {@code customer_features} (one row per registered customer: the attributes and the sales aggregates
 * {@link #AGGREGATES} as of the clock) and {@code training_examples} (the features with the label, where known),
 * and the bookkeeping {@code master_data}, {@code master_clock} and {@code simulated_outcomes}. How the label
 * shows in the sales and what the drift changes is described in {@link Shop} and {@link Newcomers}.
 */
public final class MasterData {
    /** The pipelines' default: an SQLite file next to the spec. */
    public static final String DEFAULT_URL = "jdbc:sqlite:master.db";
    public static final String FEATURE_VIEW = MasterSchema.FEATURES_VIEW;
    public static final String TRAINING_VIEW = MasterSchema.TRAINING_VIEW;
    /** The feature view's query: customers joined with the aggregates of their sales up to the clock's day. */
    public static final String FEATURE_QUERY = MasterSchema.FEATURES;
    /** The training view's query: {@value #FEATURE_VIEW} with the label {@code class}, where known by the clock. */
    public static final String TRAINING_QUERY = MasterSchema.TRAINING;
    /** The aggregate columns of the feature view, after customer_id and the 20 credit-g attributes. */
    public static final List<String> AGGREGATES = MasterSchema.AGGREGATES;

    private static final int BATCH = 1_000;
    private static final int MAX_NEW_CUSTOMERS = 100_000;

    /**
     * What the master data is made with.
     *
     * @param seed           every random choice follows from it
     * @param start          the first simulated day; the sales history covers the {@code historyDays} before it
     * @param historyDays    days of sales history made at creation, at least 90 (the longest feature window)
     * @param labelDelayDays days after registering until a new customer's label is known
     */
    public record Settings(long seed, LocalDate start, int historyDays, int labelDelayDays) {
        public Settings {
            Objects.requireNonNull(start, "start");
            if (historyDays < 90 || historyDays > 3_650) {
                throw CairnException.invalid("history_days", historyDays, "a number of days from 90 to 3650");
            }
            if (labelDelayDays < 0 || labelDelayDays > 365) {
                throw CairnException.invalid("label_delay_days", labelDelayDays, "a number of days from 0 to 365");
            }
        }

        /** 180 days of history, labels known 14 days after registering. */
        public static Settings of(long seed, LocalDate start) {
            return new Settings(seed, start, 180, 14);
        }

        public Settings withHistoryDays(int days) {
            return new Settings(seed, start, days, labelDelayDays);
        }

        public Settings withLabelDelayDays(int days) {
            return new Settings(seed, start, historyDays, days);
        }

        LocalDate historyStart() {
            return start.minusDays(historyDays);
        }

        Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("seed", Long.toString(seed));
            m.put("start", start.toString());
            m.put("history_days", Integer.toString(historyDays));
            m.put("label_delay_days", Integer.toString(labelDelayDays));
            return m;
        }
    }

    /**
     * What {@link #advanceDay} did.
     *
     * @param asOf   the day the data is now current as of
     * @param days   days simulated (0: the day was already simulated)
     * @param sales  sales added
     * @param labels labels that became known
     */
    public record Advance(LocalDate asOf, int days, int sales, int labels) {}

    private final String url;
    private final String user;
    private final String password;
    private final Dialect dialect;
    private final Settings settings;

    private MasterData(String url, String user, String password, Settings settings) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = Dialect.of(url);
        this.settings = settings;
    }

    /** {@link #create(String, String, String, Settings)} without credentials. */
    public static MasterData create(String url, Settings settings) {
        return create(url, null, null, settings);
    }

    /**
     * Makes the master data in an empty database: the schema, the credit-g customers and their sales history;
     * the clock stands at the day before {@code settings.start()}. A database that already holds master data made
     * with the same settings is opened as it is (nothing is written); other settings are refused, and so is a
     * database holding anything else. A relative SQLite path is relative to the working directory: a pipeline's
     * {@code jdbc:sqlite:master.db} means the spec's directory ({@link Workspace#jdbcUrl}) and is resolved first.
     */
    public static MasterData create(String url, String user, String password, Settings settings) {
        Objects.requireNonNull(settings, "settings");
        MasterData data = new MasterData(url, user, password, settings);
        data.inTransaction(c -> {
            List<String> relations = data.dialect.relations(c);
            if (relations.contains(MasterSchema.MASTER_DATA.name())) {
                Map<String, String> stored = data.readMeta(c, relations);
                Map<String, String> stale = new LinkedHashMap<>();
                settings.asMap().forEach((k, v) -> {
                    if (!v.equals(stored.get(k))) stale.put(k, stored.get(k));
                });
                if (!stale.isEmpty()) {
                    throw new CairnException(ErrorCode.INVALID_STATE, "The database " + data.describe() + " already holds "
                            + "master data made with " + stale + " instead of " + settings.asMap() + "; open it as it is "
                            + "(MasterData.open) or give another database", Map.of("database", data.describe()));
                }
                return null;
            }
            if (!relations.isEmpty()) {
                throw CairnException.invalid("database", data.describe(), "an empty database or one holding Cairn master "
                        + "data, but it holds " + relations.size() + " other table(s) or view(s): " + String.join(", ",
                        relations.subList(0, Math.min(10, relations.size()))) + (relations.size() > 10 ? ", ..." : "")
                        + " (nothing was changed)");
            }
            data.make(c);
            return null;
        });
        return data;
    }

    /** {@link #open(String, String, String)} without credentials. */
    public static MasterData open(String url) {
        return open(url, null, null);
    }

    /** Opens master data made before, with the settings it was made with. */
    public static MasterData open(String url, String user, String password) {
        MasterData probe = new MasterData(url, user, password, null);
        Map<String, String> meta = probe.inTransaction(c -> probe.readMeta(c, probe.dialect.relations(c)));
        Settings settings = new Settings(Long.parseLong(meta.get("seed")), LocalDate.parse(meta.get("start")),
                Integer.parseInt(meta.get("history_days")), Integer.parseInt(meta.get("label_delay_days")));
        return new MasterData(url, user, password, settings);
    }

    /** The feature query as of the end of {@code day} rather than the clock's: point-in-time features. */
    public static String featureQueryAsOf(LocalDate day) {
        return MasterSchema.featuresAsOf(day);
    }

    public Settings settings() {
        return settings;
    }

    /** The JDBC URL, any password in it blanked. */
    public String describe() {
        return Workspace.redact(url);
    }

    /** The day the data is current as of: the last simulated day (the day before the start, at first). */
    public LocalDate asOf() {
        return inTransaction(MasterData::clock);
    }

    /** The day the drift starts, if switched on. */
    public Optional<LocalDate> drift() {
        return inTransaction(MasterData::readDrift);
    }

    /**
     * The drift switch: sales on and after {@code from}, and customers joining then, are drawn from the shifted mix
     * ({@link Shop}, {@link Newcomers}). Only days not yet simulated can change.
     */
    public void switchDrift(LocalDate from) {
        Objects.requireNonNull(from, "from");
        inTransaction(c -> {
            LocalDate asOf = clock(c);
            if (!from.isAfter(asOf)) {
                throw CairnException.invalid("drift_from", from, "a day after " + asOf + ", the last simulated day");
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM master_data WHERE name = 'drift_from'");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO master_data (name, value) VALUES ('drift_from', ?)")) {
                delete.executeUpdate();
                insert.setString(1, from.toString());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Runs the shop up to the end of {@code day}: for every day after the clock's through {@code day}, the sales of
     * every customer registered before it, and the labels that became known; then the clock stands at {@code day}.
     * A day already simulated changes nothing, so a night can be re-run.
     */
    public Advance advanceDay(LocalDate day) {
        Objects.requireNonNull(day, "day");
        return inTransaction(c -> {
            LocalDate asOf = clock(c);
            if (!day.isAfter(asOf)) return new Advance(asOf, 0, 0, 0);
            List<Customer> customers = customers(c);
            Optional<LocalDate> drift = readDrift(c);
            Map<Integer, Shop.Behaviour> behaviours = behaviours(customers);
            long nextId = nextSaleId(c);
            int sales = 0;
            int labels = 0;
            for (LocalDate d = asOf.plusDays(1); !d.isAfter(day); d = d.plusDays(1)) {
                boolean drifted = drifted(drift, d);
                List<Sale> today = new ArrayList<>();
                for (Customer customer : customers) {
                    if (customer.registeredDay() < d.toEpochDay()) {
                        today.addAll(Shop.day(settings.seed(), customer, behaviours.get(customer.id()), d, drifted));
                    }
                }
                sortByTime(today);
                insertSales(c, today, nextId);
                nextId += today.size();
                sales += today.size();
                labels += revealLabels(c, d);
            }
            setClock(c, day);
            return new Advance(day, (int) (day.toEpochDay() - asOf.toEpochDay()), sales, labels);
        });
    }

    /**
     * Registers {@code n} new customers on {@code day} (on or after the clock's day), each with a first purchase at
     * registration; their labels are known {@code labelDelayDays} later. Returns their ids, ascending.
     */
    public List<Integer> addCustomers(LocalDate day, int n) {
        Objects.requireNonNull(day, "day");
        if (n < 1 || n > MAX_NEW_CUSTOMERS) throw CairnException.invalid("n", n, "a number of customers from 1 to " + MAX_NEW_CUSTOMERS);
        return inTransaction(c -> {
            LocalDate asOf = clock(c);
            if (day.isBefore(asOf)) {
                throw CairnException.invalid("day", day, "a day on or after " + asOf + ", the last simulated day");
            }
            boolean drifted = drifted(readDrift(c), day);
            int firstId;
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT MAX(customer_id) FROM customers")) {
                rows.next();
                firstId = rows.getInt(1) + 1;
            }
            Newcomers newcomers = Newcomers.fromCreditG();
            long knownDay = day.toEpochDay() + settings.labelDelayDays();
            List<Customer> joined = new ArrayList<>();
            List<Sale> firstPurchases = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Customer customer = newcomers.make(settings.seed(), firstId + i, day, drifted);
                joined.add(customer);
                firstPurchases.add(Shop.registration(settings.seed(), customer, Shop.behaviour(settings.seed(), customer), drifted));
            }
            boolean known = knownDay <= asOf.toEpochDay();
            insertCustomers(c, joined, known ? knownDay : null);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO simulated_outcomes (customer_id, class, known_day) VALUES (?, ?, ?)")) {
                for (Customer customer : joined) {
                    insert.setInt(1, customer.id());
                    insert.setString(2, customer.label());
                    insert.setLong(3, knownDay);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            sortByTime(firstPurchases);
            insertSales(c, firstPurchases, nextSaleId(c));
            return joined.stream().map(Customer::id).toList();
        });
    }

    /**
     * The SHA-256 of every table's rows in key order, written canonically (amounts to the cent, timestamps in ISO),
     * so equal data has equal checksums whichever database holds it.
     */
    public String checksum() {
        return inTransaction(c -> {
            MessageDigest digest = Sha256.newDigest();
            for (MasterSchema.Table table : MasterSchema.TABLES) {
                digest.update(("table " + table.name() + "\n").getBytes(StandardCharsets.UTF_8));
                String sql = "SELECT " + String.join(", ", table.columnNames()) + " FROM " + table.name()
                        + " ORDER BY " + table.key();
                try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
                    StringBuilder line = new StringBuilder();
                    while (rows.next()) {
                        line.setLength(0);
                        for (int i = 0; i < table.columns().size(); i++) {
                            line.append(i == 0 ? "" : "\t").append(canonical(rows, i + 1, table.columns().get(i).kind()));
                        }
                        digest.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return Sha256.hex(digest);
        });
    }

    // --- making the master data ---

    private void make(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : MasterSchema.ddl()) s.execute(ddl);
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO master_data (name, value) VALUES (?, ?)")) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", MasterSchema.FORMAT);
            meta.putAll(settings.asMap());
            for (Map.Entry<String, String> e : meta.entrySet()) {
                insert.setString(1, e.getKey());
                insert.setString(2, e.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        LocalDate historyStart = settings.historyStart();
        List<Customer> customers = new ArrayList<>();
        for (CreditG.Row row : CreditG.rows()) {
            Rng r = Rng.of(settings.seed(), Shop.HISTORY, row.customerId());
            // Customers for up to three years before the records begin, their labels known by then.
            LocalDateTime registered = historyStart.minusDays(1 + r.below(3 * 365)).atTime(8, 0).plusSeconds(r.below(12 * 3600));
            customers.add(new Customer(row.customerId(), row.applicant(), row.label(), registered));
        }
        insertCustomers(c, customers, historyStart.toEpochDay() - 1);
        Map<Integer, Shop.Behaviour> behaviours = behaviours(customers);
        List<Sale> history = new ArrayList<>();
        for (Customer customer : customers) {
            Shop.Behaviour b = behaviours.get(customer.id());
            int before = history.size();
            for (LocalDate d = historyStart; d.isBefore(settings.start()); d = d.plusDays(1)) {
                history.addAll(Shop.day(settings.seed(), customer, b, d, false));
            }
            if (history.size() == before) history.add(Shop.fallback(settings.seed(), customer, b, historyStart, settings.historyDays(), false));
        }
        sortByTime(history);
        insertSales(c, history, 1);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO master_clock (id, as_of_day) VALUES (1, ?)")) {
            insert.setLong(1, settings.start().minusDays(1).toEpochDay());
            insert.executeUpdate();
        }
    }

    private Map<Integer, Shop.Behaviour> behaviours(List<Customer> customers) {
        Map<Integer, Shop.Behaviour> behaviours = new LinkedHashMap<>();
        for (Customer customer : customers) behaviours.put(customer.id(), Shop.behaviour(settings.seed(), customer));
        return behaviours;
    }

    /** By time, then customer; the sort is stable, so one customer's purchases at the same second keep their order. */
    private static void sortByTime(List<Sale> sales) {
        sales.sort(Comparator.comparing(Sale::soldAt).thenComparingInt(Sale::customerId));
    }

    private void insertCustomers(Connection c, List<Customer> customers, Long labelledDay) throws SQLException {
        List<String> columns = MasterSchema.CUSTOMERS.columnNames();
        String sql = "INSERT INTO customers (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(x -> "?").toList()) + ")";
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            int batched = 0;
            for (Customer customer : customers) {
                int i = 1;
                insert.setInt(i++, customer.id());
                for (Object v : customer.applicant().values()) {
                    if (v instanceof Integer n) insert.setInt(i++, n);
                    else insert.setString(i++, (String) v);
                }
                insert.setString(i++, labelledDay == null ? null : customer.label());
                if (labelledDay == null) insert.setNull(i++, Types.INTEGER);
                else insert.setLong(i++, labelledDay);
                dialect.setTimestamp(insert, i++, customer.registeredAt());
                insert.setLong(i, customer.registeredDay());
                insert.addBatch();
                if (++batched % BATCH == 0) insert.executeBatch();
            }
            insert.executeBatch();
        }
    }

    private void insertSales(Connection c, List<Sale> sales, long firstId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO sales (sale_id, customer_id, sold_at, sold_day, "
                + "amount, channel, category, payment, returned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long id = firstId;
            for (Sale sale : sales) {
                insert.setLong(1, id++);
                insert.setInt(2, sale.customerId());
                dialect.setTimestamp(insert, 3, sale.soldAt());
                insert.setLong(4, sale.soldAt().toLocalDate().toEpochDay());
                insert.setBigDecimal(5, sale.amount());
                insert.setString(6, sale.channel());
                insert.setString(7, sale.category());
                insert.setString(8, sale.payment());
                insert.setBoolean(9, sale.returned());
                insert.addBatch();
                if ((id - firstId) % BATCH == 0) insert.executeBatch();
            }
            insert.executeBatch();
        }
    }

    // --- the simulation's state ---

    private List<Customer> customers(Connection c) throws SQLException {
        String sql = "SELECT c.customer_id, " + String.join(", ", Applicant.COLUMNS.stream().map(x -> "c." + x).toList())
                + ", COALESCE(c.class, o.class), c.registered_at FROM customers c"
                + " LEFT JOIN simulated_outcomes o ON o.customer_id = c.customer_id ORDER BY c.customer_id";
        List<Customer> customers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                Applicant a = new Applicant(rows.getString(2), rows.getInt(3), rows.getString(4), rows.getString(5),
                        rows.getInt(6), rows.getString(7), rows.getString(8), rows.getInt(9), rows.getString(10),
                        rows.getString(11), rows.getInt(12), rows.getString(13), rows.getInt(14), rows.getString(15),
                        rows.getString(16), rows.getInt(17), rows.getString(18), rows.getInt(19), rows.getString(20),
                        rows.getString(21));
                customers.add(new Customer(rows.getInt(1), a, rows.getString(22), dialect.getTimestamp(rows, 23)));
            }
        }
        return customers;
    }

    private static long nextSaleId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT MAX(sale_id) FROM sales")) {
            rows.next();
            return rows.getLong(1) + 1;
        }
    }

    private static int revealLabels(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE customers SET
                    class = (SELECT o.class FROM simulated_outcomes o WHERE o.customer_id = customers.customer_id),
                    labelled_day = (SELECT o.known_day FROM simulated_outcomes o WHERE o.customer_id = customers.customer_id)
                WHERE class IS NULL
                  AND customer_id IN (SELECT o.customer_id FROM simulated_outcomes o WHERE o.known_day <= ?)""")) {
            update.setLong(1, day.toEpochDay());
            return update.executeUpdate();
        }
    }

    private static Optional<LocalDate> readDrift(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT value FROM master_data WHERE name = 'drift_from'")) {
            return rows.next() ? Optional.of(LocalDate.parse(rows.getString(1))) : Optional.empty();
        }
    }

    private static boolean drifted(Optional<LocalDate> drift, LocalDate day) {
        return drift.map(from -> !from.isAfter(day)).orElse(false);
    }

    private static LocalDate clock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT as_of_day FROM master_clock WHERE id = 1")) {
            if (!rows.next()) throw new CairnException(ErrorCode.INVALID_STATE, "The master data has no clock row");
            return LocalDate.ofEpochDay(rows.getLong(1));
        }
    }

    private static void setClock(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE master_clock SET as_of_day = ? WHERE id = 1")) {
            update.setLong(1, day.toEpochDay());
            update.executeUpdate();
        }
    }

    private Map<String, String> readMeta(Connection c, List<String> relations) throws SQLException {
        if (!relations.contains(MasterSchema.MASTER_DATA.name())) {
            throw CairnException.invalid("database", describe(), "a database holding Cairn master data (made by "
                    + "MasterData.create); it has no master_data table");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT name, value FROM master_data")) {
            while (rows.next()) meta.put(rows.getString(1), rows.getString(2));
        }
        if (!MasterSchema.FORMAT.equals(meta.get("format"))) {
            throw CairnException.invalid("database", describe(), "master data in format " + MasterSchema.FORMAT
                    + ", found format " + meta.get("format"));
        }
        return meta;
    }

    /** A value as the checksum writes it: each kind read once, the way both drivers agree on. */
    private String canonical(ResultSet rows, int column, MasterSchema.Kind kind) throws SQLException {
        String text = switch (kind) {
            case INTEGER -> {
                long n = rows.getLong(column);
                yield rows.wasNull() ? null : Long.toString(n);
            }
            case TEXT -> rows.getString(column);
            case DECIMAL -> {
                BigDecimal d = rows.getBigDecimal(column);
                yield d == null ? null : d.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
            }
            case BOOLEAN -> {
                boolean b = rows.getBoolean(column);
                yield rows.wasNull() ? null : Boolean.toString(b);
            }
            case TIMESTAMP -> {
                LocalDateTime t = dialect.getTimestamp(rows, column);
                yield t == null ? null : t.toString();
            }
        };
        return text == null ? "\\N" : text;
    }

    // --- connections ---

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = DriverManager.getConnection(url, dialect.properties(user, password))) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot use the master data in " + describe() + ": "
                    + firstLine(e.getMessage()), Map.of("database", describe()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
