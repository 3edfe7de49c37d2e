package dev.cairn.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.TestFiles;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DataReader#add}: several sources in one DuckDB database, so that one query joins them. */
class AddedSourcesTest {
    @TempDir
    Path dir;

    @Test
    void sourcesOfEveryFormatJoinInOneDatabase() throws Exception {
        Path labels = TestFiles.write(dir, "labels.csv", "id,label\n1,yes\n2,no\n3,yes\n");
        Path amounts = dir.resolve("amounts.parquet");
        TestFiles.duckdb("COPY (SELECT * FROM (VALUES (1, 10.5), (3, 30.0)) t(id, amount)) TO '" + amounts + "' (FORMAT parquet)");
        Path cities = TestFiles.write(dir, "cities.jsonl", "{\"id\": 2, \"city\": \"Köln\"}\n{\"id\": 3, \"city\": \"Bonn\"}\n");

        try (LoadedTable table = DataReader.open(FileSource.of(labels))) {
            List<Column> added = DataReader.add(table, FileSource.of(amounts), "amounts", Progress.NONE);
            assertThat(added).extracting(Column::name).containsExactly("id", "amount");
            DataReader.add(table, FileSource.of(cities), "cities", Progress.NONE);
            List<String> rows = new ArrayList<>();
            try (Statement s = table.connection().createStatement();
                 ResultSet r = s.executeQuery("SELECT l.id, l.label, a.amount, c.city FROM " + table.relation()
                         + " l LEFT JOIN amounts a USING (id) LEFT JOIN cities c USING (id) ORDER BY l.id")) {
                while (r.next()) rows.add(r.getLong(1) + " " + r.getString(2) + " " + r.getObject(3) + " " + r.getString(4));
            }
            assertThat(rows).containsExactly("1 yes 10.5 null", "2 no null Köln", "3 yes 30.0 Bonn");
        }
    }

    @Test
    void anAddedCsvWithMalformedLinesIsRefusedAndTheFirstSourceKeepsItsOwnRejects() throws Exception {
        Path first = TestFiles.write(dir, "first.csv", "a,b\n1,2\n3\n4,5\n");
        Path second = TestFiles.write(dir, "second.csv", "x,y\n1,2\n3,4\n5\n6,7,8\n");
        try (LoadedTable table = DataReader.open(FileSource.of(first))) {
            assertThat(table.malformedRowCount()).isEqualTo(1);
            assertThatThrownBy(() -> DataReader.add(table, FileSource.of(second), "second", Progress.NONE))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("second.csv").hasMessageContaining("2 malformed lines").hasMessageContaining("line 4");
            // The first source's rows and line numbers are as they were.
            try (Statement s = table.connection().createStatement();
                 ResultSet r = s.executeQuery("SELECT " + table.lineSql("2") + ", count(*) FROM " + table.relation())) {
                r.next();
                assertThat(r.getLong(1)).as("the second kept row is on line 4").isEqualTo(4);
                assertThat(r.getLong(2)).isEqualTo(2);
            }
        }
    }

    @Test
    void aMissingAddedFileIsAnErrorNamingIt() throws Exception {
        Path first = TestFiles.write(dir, "first.csv", "a\n1\n");
        try (LoadedTable table = DataReader.open(FileSource.of(first))) {
            assertThatThrownBy(() -> DataReader.add(table, FileSource.of(dir.resolve("gone.parquet")), "gone", Progress.NONE))
                    .isInstanceOf(CairnException.class).hasMessageContaining("gone.parquet");
        }
    }
}
