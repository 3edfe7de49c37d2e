package dev.cairn.data.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import dev.cairn.data.source.QuerySource;
import dev.cairn.data.source.TableStorage;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;

class KllFeederTest {
    /** More numeric columns than the feeder has spare buffers, so readers wait for buffers the KLL thread gives back. */
    private static final int COLUMNS = 80;
    private static final int ROWS = 3 * Profiler.BATCH + 123;

    @Test
    void eachColumnsSketchIsTheOneItsValuesGiveBatchByBatchInTheTablesOrder() throws Exception {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int c = 0; c < COLUMNS; c++) {
            // Every column has its own values, some missing and some not finite, which the sketch never sees.
            sql.append(c > 0 ? ", " : "").append("CASE WHEN (i + ").append(c).append(") % 17 = 0 THEN NULL WHEN (i + ").append(c)
                    .append(") % 29 = 0 THEN 'NaN'::DOUBLE ELSE ((i * ").append(2 * c + 7919).append(") % 10007) / 7.0 END AS c").append(c);
        }
        sql.append(" FROM range(").append(ROWS).append(") t(i)");
        try (LoadedTable table = DataReader.open(new QuerySource("columns", sql.toString()), Progress.NONE, TableStorage.MEMORY)) {
            DatasetProfile profile = Profiler.profile(table);
            for (int c = 0; c < COLUMNS; c++) {
                ColumnProfile column = profile.column("c" + c).orElseThrow();
                KllDoublesSketch expected = inBatches(table, "c" + c);
                KllDoublesSketch actual = KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(column.sketches().get("kll"))));
                assertThat(actual.getN()).isEqualTo(column.numeric().finiteCount()).isGreaterThan(2L * Profiler.BATCH);
                assertThat(actual.toByteArray()).as("column c%d", c).isEqualTo(expected.toByteArray());
            }
        }
    }

    /** The column's finite values in the table's order, added in batches of the profiler's size. */
    private static KllDoublesSketch inBatches(LoadedTable table, String column) throws Exception {
        List<Double> values = new ArrayList<>();
        try (Statement s = table.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT " + column + " FROM " + table.relation() + " WHERE isfinite(" + column + ")")) {
            while (r.next()) values.add(r.getDouble(1));
        }
        KllDoublesSketch sketch = ReproducibleKll.newSketch();
        double[] batch = new double[Profiler.BATCH];
        int filled = 0;
        for (double v : values) {
            batch[filled++] = v;
            if (filled == batch.length) {
                ReproducibleKll.update(sketch, batch, filled);
                filled = 0;
            }
        }
        ReproducibleKll.update(sketch, batch, filled);
        return sketch;
    }
}
