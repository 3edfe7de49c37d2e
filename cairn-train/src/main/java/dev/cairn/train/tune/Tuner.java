package dev.cairn.train.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TuneResult;
import dev.cairn.train.TuneSpec;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Labels;
import dev.cairn.train.features.ReviewedSchema;
import dev.cairn.train.fit.CrossValidator;
import dev.cairn.train.metrics.SelectionMetric;
import dev.cairn.train.run.Libraries;
import dev.cairn.train.run.PreparedData;
import dev.cairn.train.run.TrainingRun;
import dev.cairn.train.split.Split;
import dev.cairn.train.tracking.RunRecorder;
import dev.cairn.train.tracking.Tracking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Grid search, random search and successive halving. Each trial is a child run (tag
 * {@code mlflow.parentRunId}) scored by cross-validation on the training part; trials run on a
 * fixed pool of threads, each booster on one thread. The best trial's parameters are then trained
 * on the whole training part, scored on the held-out rows and packaged in the parent run.
 */
public final class Tuner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TuneSpec spec;
    private final Tracking tracking;
    private final ProgressBar progress;
    private final SearchSpace space;
    private final Algorithm algorithm;
    private final SelectionMetric metric;
    /** Store writes of concurrent trials take turns: they are tiny next to training, and SQLite has one writer. */
    private final Object storeLock = new Object();
    private String experimentId;
    private String parentRunId;
    private Frame trainRows;
    private Labels trainLabels;
    private List<Split> folds;
    private DatasetInput datasetInput;
    private double bestSoFar = Double.NaN;

    private Tuner(TuneSpec spec, Tracking tracking, ProgressBar progress) {
        this.spec = spec;
        this.tracking = tracking;
        this.progress = progress;
        this.space = spec.space();
        this.algorithm = space.algorithm();
        this.metric = space.metric();
    }

    public static TuneResult tune(TuneSpec spec, Tracking tracking, ProgressBar progress) {
        return new Tuner(spec, tracking, progress == null ? ProgressBar.silent() : progress).run();
    }

    private TuneResult run() {
        // Everything a user can get wrong (data, label, task, metric, schema, split, folds) is checked
        // before the experiment or the parent run is created, so a refused tuning leaves no record behind.
        PreparedData data = PreparedData.load(spec.data(), spec.label(), spec.drop(), spec.task(), spec.positiveClass(),
                spec.split().timeColumn());
        algorithm.checkTask(data.labels().task(), spec.label());
        metric.checkTask(data.labels().task());
        ReviewedSchema schema = ReviewedSchema.read(spec.schema());
        if (schema != null) schema.check(data.features());
        Map<String, Object> base = algorithm.resolve(baseGiven());
        long seed = ((Number) base.get("seed")).longValue();
        Split holdout = data.split(spec.split(), seed);
        trainRows = data.features().select(holdout.train());
        trainLabels = data.labels().select(holdout.train());
        folds = CrossValidator.folds(trainLabels, space.folds(), space.seed());
        for (Split fold : folds) {
            new PreparedData(data.path(), data.sha256(), trainRows, trainLabels, null, data.allColumns()).checkTrainingPart(fold.train());
        }

        experimentId = tracking.experimentId(spec.experiment());
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.put("cairn.algorithm", algorithm.wireName());
        tags.put("cairn.tuning.strategy", space.strategy());
        Libraries.versions().forEach((k, v) -> tags.put(Libraries.TAG_PREFIX + k, v));
        RunRecorder parent = RunRecorder.start(tracking, experimentId, spec.runName(), null, "cairn tune", tags);
        parentRunId = parent.runId();
        ExecutorService pool = Executors.newFixedThreadPool(spec.effectiveParallelism());
        try {
            parent.logParams(tuningParams());
            datasetInput = TrainingRun.datasetInput(data);

            List<TrialResult> all = new ArrayList<>();
            List<TrialResult> finalists = space.strategy().equals("halving")
                    ? halving(pool, all, ((Number) base.get("num_boost_round")).intValue())
                    : evaluate(pool, Candidates.of(space), 0, null, all);
            progress.finish();
            TrialResult best = best(finalists).orElseThrow(() -> new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Every trial failed; the first said: " + all.getFirst().failure(),
                    Map.of("field", "space", "reason", String.valueOf(all.getFirst().failure()))));

            Map<String, Object> finalGiven = new LinkedHashMap<>(baseGiven());
            finalGiven.putAll(best.params());
            Object early = algorithm.resolve(finalGiven).get("early_stopping_rounds");
            if (early != null && ((Number) early).intValue() > 0) {
                // The folds chose the number of rounds; the final model trains exactly that many.
                finalGiven.put("num_boost_round", Math.max(1, best.meanRounds()));
                finalGiven.put("early_stopping_rounds", 0);
            }
            Map<String, Object> finalParams = algorithm.resolve(finalGiven);
            parent.logParams(finalParams);
            Map<String, String> asText = new LinkedHashMap<>();
            finalParams.forEach((k, v) -> asText.put(k, String.valueOf(v)));
            TrainResult model = TrainingRun.fitAndRecord(parent, experimentId, spec.trainSpec(asText), algorithm, finalParams, data);
            parent.metric("best_cv_" + metric.key(), best.score(), 0);
            parent.setTags(Map.of("cairn.tuning.best_trial_run_id", best.runId()));
            parent.finish();
            return new TuneResult(parentRunId, metric.key(), List.copyOf(all), best, finalParams, model);
        } catch (RuntimeException | Error e) {
            progress.finish();
            parent.fail(e);
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Object> baseGiven() {
        Map<String, Object> given = new LinkedHashMap<>(space.fixed());
        given.putIfAbsent("seed", space.seed());
        return given;
    }

    private Map<String, Object> tuningParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tuning.strategy", space.strategy());
        p.put("tuning.metric", metric.key());
        p.put("tuning.folds", space.folds());
        p.put("tuning.seed", space.seed());
        p.put("tuning.parallelism", spec.effectiveParallelism());
        if (!space.strategy().equals("grid")) p.put("tuning.trials", space.trials());
        if (space.strategy().equals("halving")) {
            p.put("tuning.halving.min_rounds", space.halvingMinRounds());
            p.put("tuning.halving.factor", space.halvingFactor());
        }
        try {
            p.put("tuning.space", JSON.writeValueAsString(space.dimensions()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not describe the search space", e);
        }
        return p;
    }

    /** Successive halving over rounds: all candidates on a small budget, the best 1/factor on factor times more. */
    private List<TrialResult> halving(ExecutorService pool, List<TrialResult> all, int maxRounds) {
        List<Map<String, Object>> survivors = Candidates.of(space);
        int budget = Math.min(space.halvingMinRounds(), maxRounds);
        int rung = 0;
        while (true) {
            List<TrialResult> results = evaluate(pool, survivors, rung, budget, all);
            if (survivors.size() <= 1 || budget >= maxRounds) return results;
            int keep = Math.max(1, (int) Math.ceil(survivors.size() / (double) space.halvingFactor()));
            survivors = results.stream().filter(r -> !r.failed()).sorted(byScore()).limit(keep)
                    .map(r -> {
                        Map<String, Object> m = new LinkedHashMap<>(r.params());
                        m.remove("num_boost_round");
                        return m;
                    }).toList();
            if (survivors.isEmpty()) return results;
            budget = (int) Math.min(maxRounds, (long) budget * space.halvingFactor());
            rung++;
        }
    }

    private List<TrialResult> evaluate(ExecutorService pool, List<Map<String, Object>> candidates, int rung, Integer budget,
                                       List<TrialResult> all) {
        progress.addTotal(candidates.size());
        List<Future<TrialResult>> futures = new ArrayList<>();
        int first = all.size();
        for (int i = 0; i < candidates.size(); i++) {
            Map<String, Object> candidate = new LinkedHashMap<>(candidates.get(i));
            if (budget != null) candidate.put("num_boost_round", budget);
            int index = first + i;
            futures.add(pool.submit(() -> trial(index, rung, candidate)));
        }
        List<TrialResult> out = new ArrayList<>();
        for (Future<TrialResult> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Tuning was interrupted", e);
            } catch (ExecutionException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "A trial crashed: " + e.getCause(), e.getCause());
            }
        }
        all.addAll(out);
        return out;
    }

    private TrialResult trial(int index, int rung, Map<String, Object> candidate) {
        RunRecorder child;
        synchronized (storeLock) {
            child = RunRecorder.start(tracking, experimentId, "trial-" + index, parentRunId, "cairn tune",
                    Map.of("cairn.trial", Integer.toString(index), "cairn.tuning.rung", Integer.toString(rung),
                            "cairn.algorithm", algorithm.wireName()));
        }
        try {
            Map<String, Object> given = new LinkedHashMap<>(baseGiven());
            given.putAll(candidate);
            Map<String, Object> params = algorithm.resolve(given);
            synchronized (storeLock) {
                child.logParams(params);
                child.logInput(datasetInput);
            }
            CrossValidator.Result cv = CrossValidator.evaluate(algorithm, params, trainRows, trainLabels, folds, metric);
            synchronized (storeLock) {
                child.metric("cv_" + metric.key(), cv.mean(), 0);
                child.metric("cv_" + metric.key() + "_std", cv.std(), 0);
                for (int f = 0; f < cv.foldScores().length; f++) child.metric("cv_" + metric.key() + "_fold", cv.foldScores()[f], f);
                child.metric("cv_num_rounds", cv.meanRounds(), 0);
                child.finish();
            }
            progress.step(record(cv.mean()));
            return new TrialResult(index, child.runId(), candidate, cv.mean(), cv.std(), cv.meanRounds(), rung, null);
        } catch (RuntimeException e) {
            synchronized (storeLock) {
                child.fail(e);
            }
            progress.step(record(Double.NaN));
            return new TrialResult(index, child.runId(), candidate, Double.NaN, Double.NaN, 0, rung, e.getMessage());
        }
    }

    private synchronized double record(double score) {
        if (metric.better(score, bestSoFar)) bestSoFar = score;
        return bestSoFar;
    }

    private Comparator<TrialResult> byScore() {
        Comparator<TrialResult> c = Comparator.comparingDouble(TrialResult::score);
        return (metric.higherIsBetter() ? c.reversed() : c).thenComparingInt(TrialResult::index);
    }

    private java.util.Optional<TrialResult> best(List<TrialResult> results) {
        return results.stream().filter(r -> !r.failed() && !Double.isNaN(r.score())).min(byScore());
    }
}
