package dev.cairn.cli.model;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.cli.data.SourceOptions;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.SplitSpec;
import dev.cairn.train.Training;
import dev.cairn.train.TuneResult;
import dev.cairn.train.TuneSpec;
import dev.cairn.train.tracking.Tracking;
import dev.cairn.train.tune.ProgressBar;
import dev.cairn.train.tune.SearchSpace;
import dev.cairn.train.tune.TrialResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn tune --data credit-g.csv --label class --drop customer_id --space space.yaml
 * [--register credit-risk --alias champion]}: grid, random or successive-halving search with each
 * trial a child run, the best retrained on the training part and packaged in the parent run.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Tune hyperparameters over a YAML search space; trials are child runs, the best model is packaged.")
public final class TuneCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin Output output;
    @Mixin TrainingDataOptions training;
    @Mixin FeatureServiceOptions featureService;
    @Mixin SourceOptions entityRows;
    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--space", required = true, paramLabel = "FILE", description = "The search space (YAML), e.g. examples/credit-risk/space.yaml.")
    Path space;

    @Option(names = "--split", defaultValue = "auto", paramLabel = "STRATEGY",
            description = "How the held-out test rows are chosen: auto, stratified, random or time (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "FRACTION",
            description = "Share of rows held out to score the tuned model (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--parallelism", paramLabel = "N", description = "Trials at once (default: the space's).")
    Integer parallelism;

    @Option(names = "--register", paramLabel = "MODEL", description = "Register the tuned model under this name.")
    String register;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Alias to point at the registered version (default: none).")
    String alias;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        SearchSpace searchSpace = SearchSpace.read(space);
        try (MetadataStore s = store.open()) {
            FeatureServiceOptions.TrainingData data = featureService.resolve(training.data, s, entityRows,
                    commandSpec.commandLine().getErr());
            TuneSpec spec = new TuneSpec(data.path(), training.label, data.drop(training.drop), training.task, training.positiveClass,
                    new SplitSpec(split, testFraction, training.timeColumn), searchSpace, parallelism, training.experiment,
                    training.runName, data.tags(), training.schema, training.inputPolicy(), data.inputs());
            if (data.features() != null && !output.json()) System.out.println(FeatureServiceOptions.describe(data));
            Tracking tracking = Tracking.of(s);
            ProgressBar progress = quiet || output.json() ? ProgressBar.silent() : ProgressBar.toStderr(searchSpace.metric().key());
            TuneResult result = Training.tune(spec, tracking, progress);
            ModelVersion version = register == null ? null : Training.register(tracking, result.parentRunId(), register, alias);
            if (output.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("parent_run_id", result.parentRunId());
                if (data.features() != null) out.put("training_set", FeatureServiceOptions.json(data));
                out.put("metric", result.metricKey());
                out.put("best_trial_run_id", result.best().runId());
                out.put("best_cv_score", result.best().score());
                out.put("params", result.finalParams());
                out.put("model_uri", result.model().modelUri());
                out.put("test_metrics", result.model().metrics());
                if (version != null) out.put("registered", Map.of("name", version.name(), "version", version.version()));
                output.printJson(System.out, out);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (TrialResult t : result.trials()) {
                rows.add(List.of(Integer.toString(t.index()), t.runId(), t.params().toString(),
                        t.failed() ? "failed: " + t.failure() : ModelOutput.format(t.score()) + " ± " + ModelOutput.format(t.scoreStd())));
            }
            Output.printTable(System.out, List.of("TRIAL", "RUN", "PARAMS", "CV " + result.metricKey().toUpperCase()), rows);
            System.out.println();
            System.out.println("Best trial " + result.best().index() + " (CV " + result.metricKey() + " "
                    + ModelOutput.format(result.best().score()) + "); tuned model in run " + result.parentRunId()
                    + " at " + result.model().modelUri());
            System.out.println("Scored on the held-out rows:");
            ModelOutput.printMetrics(result.model().metrics());
            if (version != null) {
                System.out.println("Registered " + version.name() + " version " + version.version()
                        + (alias == null ? "" : " with alias " + alias));
            }
            return 0;
        }
    }
}
