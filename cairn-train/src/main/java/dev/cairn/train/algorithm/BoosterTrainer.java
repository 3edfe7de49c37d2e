package dev.cairn.train.algorithm;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.train.data.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Runs XGBoost round by round so every round's evaluation can be logged as it happens and early
 * stopping keeps exactly the best round's model. One thread per booster ({@code nthread=1}) and
 * a fixed seed make the model file the same bytes on every run.
 */
public final class BoosterTrainer {
    /** The format model files are written in: XGBoost's own UBJSON. */
    public static final String MODEL_FORMAT = "ubj";

    private BoosterTrainer() {}

    /** The booster parameters an algorithm's resolved parameters turn into; fixed ones included. */
    public static Map<String, Object> boosterParameters(Algorithm algorithm, Task task, int classCount, Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nthread", 1);
        out.put("verbosity", 0);
        out.put("seed", params.get("seed"));
        switch (task) {
            case BINARY -> { out.put("objective", "binary:logistic"); out.put("eval_metric", "logloss"); }
            case MULTICLASS -> { out.put("objective", "multi:softprob"); out.put("eval_metric", "mlogloss"); out.put("num_class", classCount); }
            case REGRESSION -> { out.put("objective", "reg:squarederror"); out.put("eval_metric", "rmse"); }
        }
        switch (algorithm) {
            case XGBOOST -> {
                out.put("booster", "gbtree");
                for (String key : List.of("eta", "max_depth", "min_child_weight", "subsample", "colsample_bytree",
                        "gamma", "lambda", "alpha", "max_bin", "tree_method")) {
                    out.put(key, params.get(key));
                }
            }
            case LOGISTIC_REGRESSION, LINEAR_REGRESSION -> {
                out.put("booster", "gblinear");
                out.put("updater", "coord_descent");
                out.put("feature_selector", "cyclic");
                for (String key : List.of("eta", "lambda", "alpha")) out.put(key, params.get(key));
            }
            case BASELINE -> throw new IllegalArgumentException("the baseline is not a booster");
        }
        return out;
    }

    /**
     * Trains up to {@code maxRounds} rounds; with a validation matrix and {@code earlyStoppingRounds > 0}
     * it stops once the validation metric has not improved for that many rounds and keeps the best round.
     */
    public static BoostedModel train(Map<String, Object> boosterParams, FeatureMatrix train, FeatureMatrix validation,
                                     int maxRounds, int earlyStoppingRounds, Consumer<RoundMetrics> onRound) {
        String metric = (String) boosterParams.get("eval_metric");
        DMatrix dTrain = null;
        DMatrix dValidation = null;
        Booster booster = null;
        try {
            dTrain = toDMatrix(train);
            dValidation = validation == null ? null : toDMatrix(validation);
            DMatrix[] evalSets = dValidation == null ? new DMatrix[] {dTrain} : new DMatrix[] {dTrain, dValidation};
            String[] evalNames = dValidation == null ? new String[] {"train"} : new String[] {"train", "validation"};
            booster = XGBoost.train(dTrain, boosterParams, 0, Map.of(), null, null);
            List<RoundMetrics> history = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            int bestRound = -1;
            byte[] bestBytes = null;
            int round = 0;
            for (; round < maxRounds; round++) {
                booster.update(dTrain, round);
                RoundMetrics metrics = parse(round, booster.evalSet(evalSets, evalNames, round));
                history.add(metrics);
                if (onRound != null) onRound.accept(metrics);
                if (dValidation != null && earlyStoppingRounds > 0) {
                    double score = metrics.values().get("validation_" + metric);
                    if (score < best) { // every metric used here (logloss, mlogloss, rmse) is lower-is-better
                        best = score;
                        bestRound = round;
                        bestBytes = booster.toByteArray(MODEL_FORMAT);
                    } else if (round - bestRound >= earlyStoppingRounds) {
                        round++;
                        break;
                    }
                }
            }
            if (bestBytes == null) {
                return new BoostedModel(booster.toByteArray(MODEL_FORMAT), round, round, List.copyOf(history), metric);
            }
            return new BoostedModel(bestBytes, bestRound + 1, round, List.copyOf(history), metric);
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "XGBoost refused the training: " + e.getMessage(), e);
        } finally {
            if (booster != null) booster.dispose();
            if (dTrain != null) dTrain.dispose();
            if (dValidation != null) dValidation.dispose();
        }
    }

    private static DMatrix toDMatrix(FeatureMatrix m) throws XGBoostError {
        DMatrix d = new DMatrix(m.values(), m.rows(), m.columns(), Float.NaN);
        d.setLabel(m.labels());
        if (m.weights() != null) d.setWeight(m.weights());
        return d;
    }

    /** Parses XGBoost's "[3]\ttrain-logloss:0.51\tvalidation-logloss:0.55" into {train_logloss=…, …}. */
    static RoundMetrics parse(int round, String evalLine) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String part : evalLine.trim().split("\t")) {
            int colon = part.lastIndexOf(':');
            int dash = part.indexOf('-');
            if (part.startsWith("[") || colon < 0 || dash < 0) continue;
            values.put(part.substring(0, dash) + "_" + part.substring(dash + 1, colon), Double.parseDouble(part.substring(colon + 1)));
        }
        return new RoundMetrics(round, values);
    }
}
