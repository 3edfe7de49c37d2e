package dev.cairn.train.algorithm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.train.data.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Reads the coefficients out of a trained {@code gblinear} booster into the runtime's
 * {@code linear} model block, so a linear model is served as plain arithmetic over the encoded
 * features and its coefficients can be read in model.yaml. XGBoost lays the weights out as
 * {@code w[feature × groups + group]} followed by one bias per group; the intercept adds the
 * model's base score turned into a margin (logit for binary:logistic, as is otherwise).
 */
public final class LinearExtractor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LinearExtractor() {}

    public static ModelBody.Linear extract(byte[] boosterBytes, Task task) {
        JsonNode root;
        Booster booster = null;
        try {
            booster = XGBoost.loadModel(boosterBytes);
            root = JSON.readTree(booster.toByteArray("json"));
        } catch (XGBoostError | IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not read the linear booster: " + e.getMessage(), e);
        } finally {
            if (booster != null) booster.dispose();
        }
        JsonNode learner = root.path("learner");
        JsonNode param = learner.path("learner_model_param");
        int features = Integer.parseInt(param.path("num_feature").asText());
        int groups = Math.max(1, Integer.parseInt(param.path("num_class").asText("0")));
        double baseScore = Double.parseDouble(param.path("base_score").asText().replace("[", "").replace("]", ""));
        double baseMargin = task == Task.BINARY ? Math.log(baseScore / (1 - baseScore)) : baseScore;
        JsonNode weights = learner.path("gradient_booster").path("model").path("weights");
        if (weights.size() != (features + 1) * groups) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "A gblinear booster with " + features + " features and "
                    + groups + " groups has " + weights.size() + " weights");
        }
        List<List<Double>> coefficients = new ArrayList<>();
        List<Double> intercepts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            List<Double> row = new ArrayList<>(features);
            for (int f = 0; f < features; f++) row.add((double) (float) weights.get(f * groups + g).asDouble());
            coefficients.add(row);
            intercepts.add((double) (float) weights.get(features * groups + g).asDouble() + baseMargin);
        }
        return new ModelBody.Linear(coefficients, intercepts);
    }
}
