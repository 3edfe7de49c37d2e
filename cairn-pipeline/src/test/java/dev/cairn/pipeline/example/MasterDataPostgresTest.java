package dev.cairn.pipeline.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.cairn.core.error.CairnException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master data on a real PostgreSQL (zonky's embedded server): the same SQL makes the same data as on SQLite. */
class MasterDataPostgresTest {
    static final LocalDate START = LocalDate.of(2024, 3, 1);
    static final MasterData.Settings SETTINGS = MasterData.Settings.of(7, START).withHistoryDays(90).withLabelDelayDays(2);

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    /** A new empty database of the server. */
    static String database(String name) {
        Db.execute(postgres.getJdbcUrl("postgres", "postgres"), "CREATE DATABASE " + name);
        return postgres.getJdbcUrl("postgres", name);
    }

    /** Three nights, a drift from the second, newcomers every night, labels known after two days. */
    static MasterData simulate(MasterData data) {
        data.switchDrift(START.plusDays(1));
        for (LocalDate night = START; night.isBefore(START.plusDays(3)); night = night.plusDays(1)) {
            data.addCustomers(night, 20);
            data.advanceDay(night);
        }
        return data;
    }

    @Test
    void postgresHoldsTheSameMasterDataAsSqlite(@TempDir Path dir) {
        String pg = database("shop");
        String sqlite = "jdbc:sqlite:" + dir.resolve("shop.db");
        MasterData onPostgres = simulate(MasterData.create(pg, SETTINGS));
        MasterData onSqlite = simulate(MasterData.create(sqlite, SETTINGS));

        assertThat(onPostgres.checksum()).isEqualTo(onSqlite.checksum());
        assertThat(onPostgres.asOf()).isEqualTo(START.plusDays(2));
        assertThat(onPostgres.drift()).contains(START.plusDays(1));
        assertThat(MasterData.open(pg).settings()).isEqualTo(SETTINGS);

        // The views are the same SQL on both, with the same results (to the rounding of the last digit).
        for (String view : List.of("customer_features", "training_examples")) {
            List<Map<String, Object>> p = Db.rows(pg, "SELECT * FROM " + view + " ORDER BY customer_id");
            List<Map<String, Object>> s = Db.rows(sqlite, "SELECT * FROM " + view + " ORDER BY customer_id");
            assertThat(p).hasSameSizeAs(s);
            for (int i = 0; i < p.size(); i++) {
                assertThat(p.get(i).keySet()).isEqualTo(s.get(i).keySet());
                for (String column : p.get(i).keySet()) {
                    Object a = p.get(i).get(column);
                    Object b = s.get(i).get(column);
                    if (a instanceof Number x && b instanceof Number y) {
                        assertThat(x.doubleValue()).as(view + " " + column + " row " + i).isCloseTo(y.doubleValue(), offset(1e-9));
                    } else {
                        assertThat(a).as(view + " " + column + " row " + i).isEqualTo(b);
                    }
                }
            }
        }
        assertThat(Db.number(pg, "SELECT COUNT(*) FROM customer_features")).isEqualTo(1060);
        assertThat(Db.number(pg, "SELECT COUNT(*) FROM training_examples")).isEqualTo(1020);
        for (String spec : List.of("nightly.yaml", "retrain.yaml")) {
            for (String query : ExampleSpecsTest.queries(ExampleSpecsTest.spec(spec))) {
                assertThat(Db.rows(pg, query)).as(spec + ": " + query).isNotEmpty();
            }
        }
        // Making it again is opening it.
        assertThat(MasterData.create(pg, SETTINGS).checksum()).isEqualTo(onSqlite.checksum());
    }

    @Test
    void aPostgresDatabaseWithOtherTablesIsRefused() {
        String pg = database("billing");
        Db.execute(pg, "CREATE TABLE invoices (id integer PRIMARY KEY)");
        assertThatThrownBy(() -> MasterData.create(pg, SETTINGS)).isInstanceOf(CairnException.class)
                .hasMessageContaining("invoices").hasMessageContaining("nothing was changed");
        assertThat(Db.rows(pg, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                .containsExactly(Map.of("table_name", "invoices"));
    }
}
