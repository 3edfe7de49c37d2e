package dev.cairn.spark;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.DataValidation;
import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.report.ReportWriter.Report;
import dev.cairn.data.schema.DataSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main class for {@code spark-submit}:
 * <pre>
 * spark-submit --master yarn --class dev.cairn.spark.SparkJob cairn-spark.jar validate  DATA --schema spec.yaml [--env E] [--out DIR] [--name N]
 * spark-submit ...                                                          profile   DATA [--out DIR] [--name N]
 * spark-submit ...                                                          score     DATA --model PKG --output DIR.parquet [--id COL] [--batch-rows N] [--model-version V]
 * </pre>
 * Reports are the same {@code .html}/{@code .json} files as {@code cairn data …} writes. Exit code 0:
 * done (validation passed), 1: an error-severity check failed, 2: bad input.
 */
public final class SparkJob {
    private SparkJob() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (CairnException e) {
            System.err.println("cairn: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static int run(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: SparkJob validate|profile|score DATA [options] (see the class's documentation)");
            return 2;
        }
        String command = args[0].toLowerCase(Locale.ROOT);
        String data = args[1];
        Map<String, String> options = options(args);
        Path out = Path.of(options.getOrDefault("--out", "cairn-reports"));
        String name = options.getOrDefault("--name", baseName(data));
        DataValidation reports = new DataValidation();
        try (SparkEngine engine = SparkEngine.start(options.get("--spark-master"))) {
            switch (command) {
                case "profile" -> {
                    DatasetProfile profile = engine.profile(data);
                    Report report = reports.report(out, name + ".profile", profile);
                    System.out.printf(Locale.ROOT, "Profiled %s on Spark: %,d rows, %d columns%nJSON:   %s%n", data, profile.rowCount(),
                            profile.columns().size(), report.json());
                    return 0;
                }
                case "validate" -> {
                    String schema = require(options, "--schema");
                    DataSpec spec = reports.readSpec(Path.of(schema));
                    ProfiledValidation both = engine.profileAndValidate(data, spec, options.get("--env"), MetricsHistory.NONE);
                    Map<String, Report> written = reports.writeReports(out, name, both);
                    var v = both.validation();
                    System.out.printf(Locale.ROOT, "%s %s on Spark: %d checks, %d errors, %d warnings (%,d rows)%nJSON:   %s%n",
                            v.success() ? "PASSED" : "FAILED", data, v.checks(), v.failedErrors(), v.failedWarnings(), v.rowCount(),
                            written.get("validation").json());
                    return v.success() ? 0 : 1;
                }
                case "score" -> {
                    SparkScorer.Options scoring = new SparkScorer.Options(Path.of(require(options, "--model")), options.get("--id"),
                            Integer.parseInt(options.getOrDefault("--batch-rows", "10000")), options.get("--model-version"),
                            require(options, "--output"));
                    SparkScorer.Result result = engine.score(data, scoring);
                    System.out.printf(Locale.ROOT, "Scored %d rows on Spark into %s in %.1f s%n", result.rows(), result.output(), result.millis() / 1000.0);
                    return 0;
                }
                default -> throw CairnException.invalid("command", command, "validate, profile or score");
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw CairnException.invalid("argument", args[i], "--option value");
            options.put(args[i], args[++i]);
        }
        for (String key : options.keySet()) {
            if (!List.of("--schema", "--env", "--out", "--name", "--model", "--output", "--id", "--batch-rows", "--model-version",
                    "--spark-master").contains(key)) {
                throw CairnException.invalid("option", key, "one of --schema --env --out --name --model --output --id --batch-rows --model-version --spark-master");
            }
        }
        return options;
    }

    private static String require(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) throw CairnException.invalid(key, null, "a value for " + key);
        return value;
    }

    private static String baseName(String location) {
        String file = Path.of(location).getFileName().toString();
        int dot = file.indexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}
