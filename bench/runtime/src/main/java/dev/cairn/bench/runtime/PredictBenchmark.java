package dev.cairn.bench.runtime;

import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-row prediction on the credit-g model (100 trees, depth 3, 20 inputs of which 13 are
 * one-hot encoded to 61 features), all in one run:
 * <ul>
 *   <li>{@code cairnPredict}: {@code Model.predict(Map)} — validation against the signature,
 *       one-hot preprocessing, XGBoost, building a {@code Prediction}.</li>
 *   <li>{@code rawBoosterPredict}: XGBoost4J {@code Booster.predict} on a prebuilt one-row DMatrix
 *       (the baseline the target is set against: Cairn ≥ 0.5× its throughput).</li>
 *   <li>{@code rawBoosterPredictNewDMatrix}: the same with a new one-row DMatrix per call, as a
 *       server sees new rows: XGBoost caches predictions per DMatrix, so the prebuilt-DMatrix
 *       baseline above mostly measures a cache hit.</li>
 *   <li>{@code rawInplacePredict}: XGBoost4J {@code inplace_predict} on a prebuilt float[] — what
 *       Cairn calls underneath, to show the cost of Cairn's own work.</li>
 * </ul>
 * The {@code *2Threads} variants run the same from two threads on one shared model: Booster.predict
 * is synchronized in XGBoost4J, Cairn's path is not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class PredictBenchmark {

    private Path dir;
    private Model model;
    private Booster rawBooster;
    private DMatrix oneRow;
    private float[] oneRowFeatures;
    private int width;
    private Map<String, Object> row;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CreditModel credit = new CreditModel(CreditModel.findCsv());
        dir = Files.createTempDirectory("cairn-bench");
        model = Models.load(credit.writePackage(dir));
        row = credit.rows.get(0);
        rawBooster = XGBoost.loadModel(credit.booster.toByteArray("ubj"));
        rawBooster.setParam("nthread", 1);
        width = credit.encoder.featureCount();
        oneRowFeatures = credit.encoder.encodeBatch(java.util.List.of(row));
        oneRow = new DMatrix(oneRowFeatures, 1, width, Float.NaN);
        // Same answer on both paths, or the comparison is meaningless.
        double cairn = model.predict(row).probability("good");
        double raw = rawBooster.predict(oneRow)[0][0];
        if (cairn != raw) throw new IllegalStateException("Cairn " + cairn + " != XGBoost " + raw);
        credit.booster.dispose();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        model.close();
        oneRow.dispose();
        rawBooster.dispose();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Prediction cairnPredict() {
        return model.predict(row);
    }

    @Benchmark
    public float[][] rawBoosterPredict() throws Exception {
        return rawBooster.predict(oneRow);
    }

    @Benchmark
    public float[][] rawBoosterPredictNewDMatrix() throws Exception {
        DMatrix matrix = new DMatrix(oneRowFeatures, 1, width, Float.NaN);
        try {
            return rawBooster.predict(matrix);
        } finally {
            matrix.dispose();
        }
    }

    @Benchmark
    public float[][] rawInplacePredict() throws Exception {
        return rawBooster.inplace_predict(oneRowFeatures, 1, width, Float.NaN);
    }

    @Benchmark
    @Threads(2)
    public Prediction cairnPredict2Threads() {
        return model.predict(row);
    }

    @Benchmark
    @Threads(2)
    public float[][] rawBoosterPredict2Threads() throws Exception {
        return rawBooster.predict(oneRow);
    }
}
