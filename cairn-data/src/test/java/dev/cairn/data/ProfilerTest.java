package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.profile.ProfileMerger;
import dev.cairn.data.profile.Profiler;
import dev.cairn.data.profile.ValueCount;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import dev.cairn.data.source.QuerySource;
import dev.cairn.data.source.TableStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {
    @TempDir
    Path dir;

    private DatasetProfile profile(Path file) {
        try (LoadedTable t = DataReader.open(FileSource.of(file))) {
            return Profiler.profile(t);
        }
    }

    @Test
    void profilesEveryColumnOfACsvFileInOnePass() throws Exception {
        Path csv = TestFiles.write(dir, "small.csv", """
                x,name,score
                1,ann,2.5
                2,bob,
                3,ann,4.5
                0,cy,0
                """);
        DatasetProfile p = profile(csv);
        assertThat(p.rowCount()).isEqualTo(4);
        ColumnProfile x = p.column("x").orElseThrow();
        assertThat(x.numeric().min()).isEqualTo(0.0);
        assertThat(x.numeric().max()).isEqualTo(3.0);
        assertThat(x.numeric().mean()).isEqualTo(1.5);
        assertThat(x.numeric().stdDev()).isCloseTo(Math.sqrt(1.25), within(1e-12));
        assertThat(x.numeric().zeros()).isEqualTo(1);
        assertThat(x.numeric().quantiles().get("0.5")).isIn(1.0, 2.0);
        ColumnProfile score = p.column("score").orElseThrow();
        assertThat(score.missing()).isEqualTo(1);
        assertThat(score.completeness()).isEqualTo(0.75);
        ColumnProfile name = p.column("name").orElseThrow();
        assertThat(name.strings().distinct()).isEqualTo(3);
        assertThat(name.strings().distinctExact()).isTrue();
        assertThat(name.strings().topValues().getFirst()).isEqualTo(new ValueCount("ann", 2));
        assertThat(name.strings().minLength()).isEqualTo(2);
        assertThat(name.strings().maxLength()).isEqualTo(3);
        assertThat(name.strings().avgLength()).isEqualTo(11 / 4.0);
        assertThat(name.typeCounts()).containsEntry("string", 4L);
    }

    @Test
    void countsMalformedCsvRowsWithTheirLineNumbersInsteadOfFailing() throws Exception {
        Path csv = TestFiles.write(dir, "bad.csv", "a,b,c\n1,x,2.5\n2,y\n3,z,4.5,9\n4,\"q,r\",5\n");
        DatasetProfile p = profile(csv);
        assertThat(p.rowCount()).isEqualTo(2);
        assertThat(p.malformedRowCount()).isEqualTo(2);
        assertThat(p.malformedRows()).extracting(r -> r.line()).containsExactly(3L, 4L);
        assertThat(p.malformedRows().getFirst().error()).isEqualTo("has 2 fields where the header has 3");
    }

    @Test
    void profilesOfPartsMergeIntoTheProfileOfTheWhole() throws Exception {
        Path first = TestFiles.parquet(dir, "a.parquet", 30_000, 0);
        Path second = TestFiles.parquet(dir, "b.parquet", 20_000, 30_000);
        Path whole = dir.resolve("whole.parquet");
        TestFiles.duckdb("COPY (SELECT * FROM read_parquet(['" + first + "','" + second + "'])) TO '" + whole + "' (FORMAT parquet)");

        DatasetProfile merged = ProfileMerger.merge(List.of(profile(first), profile(second)));
        DatasetProfile direct = profile(whole);

        assertThat(merged.rowCount()).isEqualTo(50_000);
        for (String column : List.of("id", "amount", "age")) {
            var m = merged.column(column).orElseThrow();
            var d = direct.column(column).orElseThrow();
            assertThat(m.missing()).isEqualTo(d.missing());
            assertThat(m.numeric().min()).isEqualTo(d.numeric().min());
            assertThat(m.numeric().max()).isEqualTo(d.numeric().max());
            assertThat(m.numeric().mean()).isCloseTo(d.numeric().mean(), within(1e-9 * Math.abs(d.numeric().mean())));
            assertThat(m.numeric().stdDev()).isCloseTo(d.numeric().stdDev(), within(1e-9 * d.numeric().stdDev()));
            double range = d.numeric().max() - d.numeric().min();
            assertThat(m.numeric().quantiles().get("0.5")).isCloseTo(d.numeric().quantiles().get("0.5"), within(0.03 * range));
        }
        assertThat(merged.column("id").orElseThrow().numeric().distinct()).isCloseTo(50_000, within(2_000L));
        var grade = merged.column("grade").orElseThrow().strings();
        assertThat(grade.topValues()).containsExactlyInAnyOrderElementsOf(direct.column("grade").orElseThrow().strings().topValues());
        assertThat(merged.column("flag").orElseThrow().strings().topValues())
                .containsExactlyInAnyOrderElementsOf(direct.column("flag").orElseThrow().strings().topValues());
    }

    @Test
    void theJsonFormIsStableAcrossAReadAndAWrite() throws Exception {
        DatasetProfile p = profile(TestFiles.parquet(dir, "a.parquet", 5_000, 0));
        String json = ProfileJson.write(p);
        assertThat(json).startsWith("{\n  \"format\" : \"cairn.profile/v1\"");
        DatasetProfile back = ProfileJson.read(json);
        assertThat(ProfileJson.write(back)).isEqualTo(json);
        assertThat(ProfileJson.write(ProfileMerger.merge(List.of(back))).length()).isGreaterThan(1000);
    }

    @Test
    void profilingTheSameFileTwiceGivesIdenticalJson() throws Exception {
        // Enough rows for KLL to compact many times (k = 200), several numeric columns profiled on parallel
        // threads, and a text column with more distinct values than the frequent-items sketch keeps exactly.
        Path csv = dir.resolve("big.csv");
        TestFiles.duckdb("COPY (SELECT i AS id, (i * 7919 % 10007) / 10.0 AS amount, (i * 31 % 997) AS score, sin(i) AS wave, "
                + "(i % 5000)::VARCHAR || 'x' AS code FROM range(60000) t(i)) TO '" + csv + "' (FORMAT csv, HEADER)");
        String first = ProfileJson.write(profile(csv));
        String second = ProfileJson.write(profile(csv));
        assertThat(second).isEqualTo(first);
        // Also while another profile updates other KLL sketches on other threads.
        var other = java.util.concurrent.CompletableFuture.supplyAsync(() -> profile(csv));
        String third = ProfileJson.write(profile(csv));
        assertThat(ProfileJson.write(other.join())).isEqualTo(first);
        assertThat(third).isEqualTo(first);
    }

    @Test
    void aTextColumnsLengthsNumberTypesAndExtremesAreDuckDbsOwnOverEveryRow() throws Exception {
        // Values that DuckDB's casts and byte order treat in their own ways: blanks, padded numbers, exponents, hex,
        // letters of both cases and text beyond ASCII; the profile takes them once per distinct value, with its count.
        Path file = dir.resolve("text.parquet");
        TestFiles.duckdb("COPY (SELECT ['12', ' 7 ', '3.5', '1e3', 'abc', 'Zebra', 'é', '日本語', '', '-0', '0x1F', 'nan', NULL, '12']"
                + "[1 + (i * 5) % 14] AS t, i FROM range(1000) r(i)) TO '" + file + "' (FORMAT parquet)");
        String expectedSql = "SELECT count(t), min(length(t)), max(length(t)), sum(length(t)), count(TRY_CAST(t AS BIGINT)), "
                + "count(TRY_CAST(t AS DOUBLE)), min(t), max(t) FROM read_parquet('" + file + "')";
        long present;
        long minLength;
        long maxLength;
        long totalLength;
        long integers;
        long decimals;
        String min;
        String max;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement(); ResultSet r = s.executeQuery(expectedSql)) {
            r.next();
            present = r.getLong(1);
            minLength = r.getLong(2);
            maxLength = r.getLong(3);
            totalLength = r.getLong(4);
            integers = r.getLong(5);
            decimals = r.getLong(6);
            min = r.getString(7);
            max = r.getString(8);
        }
        for (TableStorage storage : TableStorage.values()) {
            DatasetProfile p;
            try (LoadedTable t = DataReader.open(new QuerySource("text", "SELECT * FROM read_parquet('" + file + "')"), Progress.NONE, storage)) {
                p = Profiler.profile(t);
            }
            ColumnProfile text = p.column("t").orElseThrow();
            assertThat(text.present()).isEqualTo(present);
            assertThat(text.strings().minLength()).isEqualTo(minLength);
            assertThat(text.strings().maxLength()).isEqualTo(maxLength);
            assertThat(text.strings().totalLength()).isEqualTo(totalLength);
            assertThat(text.strings().min()).isEqualTo(min).isEmpty();
            assertThat(text.strings().max()).isEqualTo(max).isEqualTo("日本語");
            // A type no value has is left out.
            Map<String, Long> types = new TreeMap<>(Map.of("integer", integers, "double", decimals - integers, "string", present - decimals));
            types.values().removeIf(n -> n == 0);
            assertThat(text.typeCounts()).isEqualTo(types).containsKeys("integer", "string");
        }
    }

    @Test
    void aQueryLoadedInMemoryProfilesAsOnDiskAndEachLoadIsADatabaseOfItsOwn() throws Exception {
        Path csv = dir.resolve("big.csv");
        TestFiles.duckdb("COPY (SELECT i AS id, (i * 7919 % 10007) / 10.0 AS amount, sin(i) AS wave, "
                + "(i % 5000)::VARCHAR || 'x' AS code, i % 3 = 0 AS flag FROM range(60000) t(i)) TO '" + csv + "' (FORMAT csv, HEADER)");
        QuerySource query = new QuerySource("big", "SELECT * FROM read_csv('" + csv + "')");
        QuerySource other = new QuerySource("small", "SELECT 1 AS one");
        String onDisk;
        try (LoadedTable t = DataReader.open(query, Progress.NONE, TableStorage.DISK)) {
            onDisk = ProfileJson.write(Profiler.profile(t));
        }
        try (LoadedTable t = DataReader.open(query, Progress.NONE, TableStorage.MEMORY);
             LoadedTable u = DataReader.open(other, Progress.NONE, TableStorage.MEMORY)) {
            assertThat(ProfileJson.write(Profiler.profile(t))).isEqualTo(onDisk);
            assertThat(Profiler.profile(u).rowCount()).isEqualTo(1);
            assertThat(Profiler.profile(t).rowCount()).isEqualTo(60_000);
        }
    }

    @Test
    void histogramsFromACompactedSketchAreLabelledApproximateWithTheirBoundAndHaveWholeCounts() throws Exception {
        Path big = TestFiles.parquet(dir, "big.parquet", 20_000, 0);
        DatasetProfile p = profile(big);
        var amount = p.column("amount").orElseThrow().numeric();
        for (var h : java.util.List.of(amount.equalWidthHistogram(), amount.quantileHistogram())) {
            assertThat(h.approximate()).isTrue();
            // KLL's normalized PMF error (99% confidence) times the number of values: 18,000 non-missing amounts.
            assertThat(h.countError()).isEqualTo((long) Math.ceil(dev.cairn.data.profile.ReproducibleKll.PMF_ERROR * 18_000));
            assertThat(h.counts()).allSatisfy(c -> assertThat(c).isEqualTo(Math.rint(c)));
            assertThat(h.counts().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(18_000, within(h.counts().size() * 1.0));
        }
        String json = ProfileJson.write(p);
        assertThat(json).contains("\"approximate\" : true").contains("\"countError\" : " + amount.equalWidthHistogram().countError());
        String html = dev.cairn.data.report.HtmlReport.profile(p);
        assertThat(html).contains("approximate, from a KLL sketch: each count ± " + amount.quantileHistogram().countError());

        DatasetProfile small = profile(TestFiles.parquet(dir, "small.parquet", 100, 0));
        var exact = small.column("amount").orElseThrow().numeric().quantileHistogram();
        assertThat(exact.approximate()).isFalse();
        assertThat(exact.countError()).isZero();
        assertThat(exact.counts().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(90.0);
        assertThat(dev.cairn.data.report.HtmlReport.profile(small)).doesNotContain("approximate, from a KLL sketch");
    }

    @Test
    void readsJsonLines() throws Exception {
        Path jsonl = TestFiles.write(dir, "rows.jsonl", "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 5, \"b\": null}\n");
        DatasetProfile p = profile(jsonl);
        assertThat(p.rowCount()).isEqualTo(2);
        assertThat(p.column("a").orElseThrow().numeric().max()).isEqualTo(5.0);
        assertThat(p.column("b").orElseThrow().missing()).isEqualTo(1);
    }
}
