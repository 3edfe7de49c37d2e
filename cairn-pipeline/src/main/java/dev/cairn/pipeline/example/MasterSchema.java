package dev.cairn.pipeline.example;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The master data's tables and views: one SQL text for SQLite and PostgreSQL alike. Days are also kept as integers
 * (days since 1970-01-01: {@code registered_day}, {@code sold_day}, the clock's {@code as_of_day}), a data
 * warehouse's date keys, because the two databases share no function for date arithmetic while integer arithmetic
 * and comparison are the same in both.
 */
final class MasterSchema {
    /** Written into {@code master_data} as {@code format}: a database in another format is not touched. */
    static final String FORMAT = "cairn-master-data/1";

    /** A column's kind: its SQL type, and how it is bound, read and written into the checksum. */
    enum Kind {
        INTEGER("INTEGER"), TEXT("TEXT"), DECIMAL("NUMERIC(12, 2)"), BOOLEAN("BOOLEAN"), TIMESTAMP("TIMESTAMP");

        final String sql;

        Kind(String sql) {
            this.sql = sql;
        }
    }

    record Column(String name, Kind kind, String constraint) {
        String ddl() {
            return name + " " + kind.sql + (constraint.isEmpty() ? "" : " " + constraint);
        }
    }

    record Table(String name, List<Column> columns, String key) {
        String ddl() {
            return "CREATE TABLE " + name + " (\n  "
                    + columns.stream().map(Column::ddl).collect(Collectors.joining(",\n  ")) + "\n)";
        }

        List<String> columnNames() {
            return columns.stream().map(Column::name).toList();
        }
    }

    /** Name and value of what the database was made with, and its format. */
    static final Table MASTER_DATA = new Table("master_data", List.of(
            new Column("name", Kind.TEXT, "PRIMARY KEY"),
            new Column("value", Kind.TEXT, "NOT NULL")), "name");

    /** One row: the day the data is current as of; the feature view aggregates sales up to its end. */
    static final Table CLOCK = new Table("master_clock", List.of(
            new Column("id", Kind.INTEGER, "PRIMARY KEY CHECK (id = 1)"),
            new Column("as_of_day", Kind.INTEGER, "NOT NULL")), "id");

    static final Table CUSTOMERS = new Table("customers", customerColumns(), "customer_id");

    static final Table SALES = new Table("sales", List.of(
            new Column("sale_id", Kind.INTEGER, "PRIMARY KEY"),
            new Column("customer_id", Kind.INTEGER, "NOT NULL REFERENCES customers (customer_id)"),
            new Column("sold_at", Kind.TIMESTAMP, "NOT NULL"),
            new Column("sold_day", Kind.INTEGER, "NOT NULL"),
            new Column("amount", Kind.DECIMAL, "NOT NULL CHECK (amount > 0)"),
            new Column("channel", Kind.TEXT, "NOT NULL CHECK (channel IN ('store', 'online', 'phone'))"),
            new Column("category", Kind.TEXT, "NOT NULL"),
            new Column("payment", Kind.TEXT, "NOT NULL CHECK (payment IN ('card', 'invoice', 'instalments'))"),
            new Column("returned", Kind.BOOLEAN, "NOT NULL")), "sale_id");

    /**
     * The simulation's secret: the true label of each customer who joined after the master data was made, and the
     * day it becomes known (copied into {@code customers.class} then). A real master database has no such table.
     */
    static final Table OUTCOMES = new Table("simulated_outcomes", List.of(
            new Column("customer_id", Kind.INTEGER, "PRIMARY KEY REFERENCES customers (customer_id)"),
            new Column("class", Kind.TEXT, "NOT NULL CHECK (class IN ('good', 'bad'))"),
            new Column("known_day", Kind.INTEGER, "NOT NULL")), "customer_id");

    /** Every table, parents first. */
    static final List<Table> TABLES = List.of(MASTER_DATA, CLOCK, CUSTOMERS, SALES, OUTCOMES);

    static final String FEATURES_VIEW = "customer_features";
    static final String TRAINING_VIEW = "training_examples";

    /** The aggregates of the feature view, after customer_id and the 20 credit-g attributes. */
    static final List<String> AGGREGATES = List.of("purchases_30d", "purchases_90d", "amount_90d", "avg_amount",
            "max_amount_90d", "return_rate_90d", "online_share_30d", "instalment_share_30d", "days_since_last_purchase");

    private static final String CLOCK_PLACEHOLDER = "{clock}";

    /**
     * One row per customer registered by the clock's day: the application and the aggregates of the sales up to the
     * end of that day. A window of N days holds the days {@code as_of_day - N + 1 .. as_of_day}; shares and means of
     * a window without sales are 0 (a customer always has a sale: the first is at registration). Every fraction is
     * cast to DOUBLE PRECISION: SQLite divides integers as integers, and a reader typing a column by its first value
     * must not see an integer 0 where later rows hold 0.25.
     */
    private static final String FEATURES_TEMPLATE = """
            SELECT c.customer_id, %s,
                   COALESCE(a.purchases_30d, 0) AS purchases_30d,
                   COALESCE(a.purchases_90d, 0) AS purchases_90d,
                   CAST(COALESCE(a.amount_90d, 0) AS DOUBLE PRECISION) AS amount_90d,
                   CAST(COALESCE(CAST(a.amount AS DOUBLE PRECISION) / NULLIF(a.purchases, 0), 0) AS DOUBLE PRECISION) AS avg_amount,
                   CAST(COALESCE(a.max_amount_90d, 0) AS DOUBLE PRECISION) AS max_amount_90d,
                   CAST(COALESCE(CAST(a.returns_90d AS DOUBLE PRECISION) / NULLIF(a.purchases_90d, 0), 0) AS DOUBLE PRECISION) AS return_rate_90d,
                   CAST(COALESCE(CAST(a.online_30d AS DOUBLE PRECISION) / NULLIF(a.purchases_30d, 0), 0) AS DOUBLE PRECISION) AS online_share_30d,
                   CAST(COALESCE(CAST(a.instalments_30d AS DOUBLE PRECISION) / NULLIF(a.purchases_30d, 0), 0) AS DOUBLE PRECISION) AS instalment_share_30d,
                   k.as_of_day - a.last_day AS days_since_last_purchase
            FROM customers c
            CROSS JOIN {clock} k
            LEFT JOIN (
                SELECT s.customer_id,
                       COUNT(*) AS purchases,
                       SUM(s.amount) AS amount,
                       MAX(s.sold_day) AS last_day,
                       SUM(CASE WHEN s.sold_day > k.as_of_day - 30 THEN 1 ELSE 0 END) AS purchases_30d,
                       SUM(CASE WHEN s.sold_day > k.as_of_day - 90 THEN 1 ELSE 0 END) AS purchases_90d,
                       SUM(CASE WHEN s.sold_day > k.as_of_day - 90 THEN s.amount ELSE 0 END) AS amount_90d,
                       MAX(CASE WHEN s.sold_day > k.as_of_day - 90 THEN s.amount END) AS max_amount_90d,
                       SUM(CASE WHEN s.sold_day > k.as_of_day - 90 AND s.returned THEN 1 ELSE 0 END) AS returns_90d,
                       SUM(CASE WHEN s.sold_day > k.as_of_day - 30 AND s.channel = 'online' THEN 1 ELSE 0 END) AS online_30d,
                       SUM(CASE WHEN s.sold_day > k.as_of_day - 30 AND s.payment = 'instalments' THEN 1 ELSE 0 END) AS instalments_30d
                FROM sales s
                CROSS JOIN {clock} k
                WHERE s.sold_day <= k.as_of_day
                GROUP BY s.customer_id
            ) a ON a.customer_id = c.customer_id
            WHERE c.registered_day <= k.as_of_day""".formatted(
            Applicant.COLUMNS.stream().map(c -> "c." + c).collect(Collectors.joining(", ")));

    /** The feature view's query, as of the {@code master_clock}. */
    static final String FEATURES = FEATURES_TEMPLATE.replace(CLOCK_PLACEHOLDER, CLOCK.name());

    /** The features of customers whose label is known by the clock's day, with the label {@code class}. */
    static final String TRAINING = """
            SELECT f.*, c.class
            FROM customer_features f
            JOIN customers c ON c.customer_id = f.customer_id
            CROSS JOIN master_clock k
            WHERE c.class IS NOT NULL AND c.labelled_day <= k.as_of_day""";

    private MasterSchema() {}

    /** The feature query as of the end of {@code day} instead of the clock's: the same SQL on both databases. */
    static String featuresAsOf(LocalDate day) {
        return FEATURES_TEMPLATE.replace(CLOCK_PLACEHOLDER, "(SELECT " + day.toEpochDay() + " AS as_of_day)");
    }

    /** The statements creating the schema, in order. */
    static List<String> ddl() {
        List<String> statements = new ArrayList<>(TABLES.stream().map(Table::ddl).toList());
        statements.add("CREATE INDEX sales_by_customer ON sales (customer_id, sold_day)");
        statements.add("CREATE INDEX sales_by_day ON sales (sold_day)");
        statements.add("CREATE VIEW " + FEATURES_VIEW + " AS\n" + FEATURES);
        statements.add("CREATE VIEW " + TRAINING_VIEW + " AS\n" + TRAINING);
        return statements;
    }

    /** Every table and view the schema creates, lower case, sorted. */
    static List<String> relations() {
        return Stream.concat(TABLES.stream().map(Table::name), Stream.of(FEATURES_VIEW, TRAINING_VIEW)).sorted().toList();
    }

    private static List<Column> customerColumns() {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("customer_id", Kind.INTEGER, "PRIMARY KEY"));
        for (String name : Applicant.COLUMNS) {
            boolean number = List.of("duration", "credit_amount", "installment_commitment", "residence_since", "age",
                    "existing_credits", "num_dependents").contains(name);
            columns.add(new Column(name, number ? Kind.INTEGER : Kind.TEXT, "NOT NULL"));
        }
        columns.add(new Column("class", Kind.TEXT, "CHECK (class IN ('good', 'bad'))"));
        columns.add(new Column("labelled_day", Kind.INTEGER, ""));
        columns.add(new Column("registered_at", Kind.TIMESTAMP, "NOT NULL"));
        columns.add(new Column("registered_day", Kind.INTEGER, "NOT NULL"));
        return List.copyOf(columns);
    }
}
