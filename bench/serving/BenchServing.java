// Serving benchmark helper, run with the JDK's source launcher (see run.sh):
//   train  <credit-g.csv> <package-dir>          100 trees, depth 3, one-hot categoricals, like the Flask baseline
//   serve  <package-dir> <cairn-port> <trivial-port>   Cairn's lean serving process + a trivial Javalin endpoint
//   batch  <package-dir> <credit-g.csv> <rows>    columnar predict through Cairn vs a plain XGBoost4J predict loop
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.pkg.*;
import dev.cairn.runtime.preprocess.*;
import dev.cairn.server.serving.*;
import io.javalin.Javalin;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import ml.dmlc.xgboost4j.java.*;

public class BenchServing {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "train" -> train(Path.of(args[1]), Path.of(args[2]));
            case "serve" -> serve(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "batch" -> batch(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static List<Map<String, Object>> read(Path csv, List<String> header) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        header.addAll(List.of(lines.get(0).split(",")));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                String c = cells[i];
                row.put(header.get(i), c.matches("-?\\d+") ? (Object) Long.parseLong(c) : c.matches("-?\\d*\\.\\d+") ? (Object) Double.parseDouble(c) : c);
            }
            rows.add(row);
        }
        return rows;
    }

    static void train(Path csv, Path target) throws Exception {
        List<String> header = new ArrayList<>();
        List<Map<String, Object>> rows = read(csv, header);
        List<Field> inputs = new ArrayList<>();
        List<PreprocessingStep> steps = new ArrayList<>();
        for (String column : header) {
            if (column.equals("class") || column.endsWith("_id")) continue;
            Object first = rows.get(0).get(column);
            if (first instanceof String) {
                List<String> domain = rows.stream().map(r -> (String) r.get(column)).distinct().sorted().toList();
                inputs.add(new Field(column, FieldType.STRING, false, domain, null, null, null));
                steps.add(new PreprocessingStep.OneHot(column, domain, UnseenPolicy.IGNORE));
            } else {
                inputs.add(new Field(column, first instanceof Long ? FieldType.INTEGER : FieldType.DOUBLE, false, null, null, null, null));
            }
        }
        FeatureEncoder encoder = FeatureEncoder.natural(inputs, steps);
        float[] labels = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) labels[i] = "good".equals(rows.get(i).get("class")) ? 1f : 0f;
        DMatrix train = new DMatrix(encoder.encodeBatch(rows), rows.size(), encoder.featureCount(), Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params = Map.of("objective", "binary:logistic", "max_depth", 3, "eta", 0.1, "nthread", 1, "seed", 42);
        Booster booster = XGBoost.train(train, params, 100, Map.of(), null, null);
        Map<String, Object> example = new LinkedHashMap<>(rows.get(0));
        example.remove("class");
        example.remove("customer_id");
        ModelManifest manifest = ModelManifest.of(new Signature(inputs, OutputSpec.binary("class", "bad", "good")),
                new Preprocessing(steps, encoder.featureNames()), new ModelBody.XGBoost("model.ubj", "ubj"), null,
                Provenance.ofEnvironment().withParameters(new LinkedHashMap<>(params), 42L), example);
        ModelPackageWriter.write(target, manifest, Map.of("model.ubj", booster.toByteArray("ubj")));
        System.out.println("trained 100 trees depth 3 on " + rows.size() + " rows -> " + target);
    }

    static void serve(Path pkg, int port, int trivialPort) throws Exception {
        ServingConfig config = ServingConfig.defaults(null).withAliasRefreshInterval(Duration.ZERO);
        ServingServer server = new ServingServer(new Serving(config, null, null), "127.0.0.1", port);
        server.start();
        server.serving().deployments().apply(DeploymentSpec.single("credit-risk", pkg.toString()), "bench", null);
        Javalin trivial = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.post("/invocations", ctx -> ctx.contentType("application/json").result("{\"predictions\":[0]}"));
        }).start("127.0.0.1", trivialPort);
        System.out.println("READY cairn=" + server.url() + " trivial=http://127.0.0.1:" + trivial.port());
        System.out.flush();
        Thread.currentThread().join();
    }

    static void batch(Path pkg, Path csv, int n) throws Exception {
        List<String> header = new ArrayList<>();
        List<Map<String, Object>> base = read(csv, header);
        try (Model model = Models.load(pkg)) {
            List<Field> inputs = model.signature().inputs();
            int batch = 10_000;
            Map<String, Object[]> columns = new HashMap<>();
            for (Field f : inputs) {
                Object[] col = new Object[batch];
                for (int i = 0; i < batch; i++) col[i] = base.get(i % base.size()).get(f.name());
                columns.put(f.name(), col);
            }
            Map<String, Object> cols = new HashMap<>(columns);
            List<Map<String, Object>> rowList = new ArrayList<>();
            for (int i = 0; i < batch; i++) rowList.add(base.get(i % base.size()));
            float[] encoded = model.encoder().encodeBatch(rowList);
            int features = model.encoder().featureCount();
            Booster booster = XGBoost.loadModel(Files.readAllBytes(pkg.resolve("model.ubj")));
            for (int warm = 0; warm < 5; warm++) {
                model.predictColumns(cols);
                DMatrix m = new DMatrix(encoded, batch, features, Float.NaN);
                booster.predict(m);
                m.dispose();
            }
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int done = 0; done < n; done += batch) model.predictColumns(cols);
                double cairn = n / ((System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                for (int done = 0; done < n; done += batch) {
                    DMatrix m = new DMatrix(encoded, batch, features, Float.NaN);
                    booster.predict(m);
                    m.dispose();
                }
                double plain = n / ((System.nanoTime() - t1) / 1e9);
                System.out.printf(Locale.ROOT, "BATCH round=%d rows=%d cairn_rows_per_s=%.0f plain_xgboost4j_rows_per_s=%.0f ratio=%.2f%n",
                        round, n, cairn, plain, cairn / plain);
            }
        }
    }
}
