package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.runtime.pkg.PackageZip;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XGBoostModelTest {

    @TempDir
    static Path dir;
    static List<Map<String, Object>> rows;
    static Booster booster;
    static float[][] expected;
    static float[][] expectedMargins;
    static Model model;

    @BeforeAll
    static void trainAndWrite() throws Exception {
        rows = TestData.rows(400, 1);
        booster = TestData.trainBinary(rows, 30);
        FeatureEncoder enc = TestData.encoder();
        DMatrix all = new DMatrix(enc.encodeBatch(rows), rows.size(), enc.featureCount(), Float.NaN);
        expected = booster.predict(all);
        expectedMargins = booster.predict(all, true);
        all.dispose();
        TestData.writeXGBoost(dir.resolve("pkg"), booster);
        model = Models.load(dir.resolve("pkg"));
    }

    @AfterAll
    static void close() {
        model.close();
        booster.dispose();
    }

    @Test
    @DisplayName("a written and loaded package predicts exactly what XGBoost itself predicts, row by row")
    void roundTripEqualsXGBoost() {
        for (int i = 0; i < rows.size(); i++) {
            Prediction p = model.predict(rows.get(i));
            assertThat(p.probability("yes")).isEqualTo((double) expected[i][0]);
            assertThat(p.probability("no")).isCloseTo(1.0 - expected[i][0], within(1e-12));
            assertThat(p.label()).isEqualTo(expected[i][0] >= 0.5 ? "yes" : "no");
        }
    }

    @Test
    @DisplayName("batch and columnar calls give the same predictions as single rows")
    void batchAndColumnsMatch() {
        List<Prediction> batch = model.predict(rows);
        Map<String, Object[]> columns = new HashMap<>();
        for (String name : List.of("income", "age", "color", "owner")) {
            Object[] column = new Object[rows.size()];
            for (int i = 0; i < rows.size(); i++) column[i] = rows.get(i).get(name);
            columns.put(name, column);
        }
        List<Prediction> columnar = model.predictColumns(columns);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(batch.get(i).probability("yes")).isEqualTo((double) expected[i][0]);
            assertThat(columnar.get(i)).isEqualTo(batch.get(i));
        }
    }

    @Test
    @DisplayName("a zipped package loads and predicts the same as the directory")
    void zipRoundTrip() {
        Path zip = dir.resolve("pkg.zip");
        PackageZip.zip(dir.resolve("pkg"), zip);
        PackageZip.unzip(zip, dir.resolve("unzipped"));
        try (Model fromZip = Models.load(zip.toString()); Model unzipped = Models.load(dir.resolve("unzipped"))) {
            assertThat(fromZip.predict(rows.subList(0, 50))).isEqualTo(model.predict(rows.subList(0, 50)));
            assertThat(unzipped.predict(rows.subList(0, 50))).isEqualTo(model.predict(rows.subList(0, 50)));
            assertThat(fromZip.manifest().provenance().runId()).isEqualTo("run-1");
        }
    }

    @Test
    @DisplayName("TreeSHAP contributions, summed back to inputs, add up to XGBoost's margin")
    void contributionsSumToMargin() {
        for (int i = 0; i < 40; i++) {
            Prediction p = model.explain(rows.get(i));
            assertThat(p.contributions()).containsOnlyKeys("income", "age", "color", "owner", Prediction.BIAS);
            double sum = p.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum).isCloseTo(expectedMargins[i][0], within(1e-4));
            assertThat(p.probability("yes")).isEqualTo((double) expected[i][0]);
        }
    }

    @Test
    @DisplayName("many threads predicting at once get the same results as one thread")
    void threadSafe() throws Exception {
        List<Prediction> single = model.predict(rows);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    Prediction[] out = new Prediction[rows.size()];
                    for (int k = 0; k < rows.size(); k++) {
                        int i = (k + offset * 50) % rows.size();
                        out[i] = offset % 2 == 0 ? model.predict(rows.get(i)) : model.explain(rows.get(i)).withContributions(null);
                    }
                    return List.of(out);
                }));
            }
            for (Future<List<Prediction>> f : futures) assertThat(f.get()).isEqualTo(single);
        } finally {
            pool.shutdown();
        }
    }
}
