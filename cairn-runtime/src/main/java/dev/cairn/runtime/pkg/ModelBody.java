package dev.cairn.runtime.pkg;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The {@code model:} block of model.yaml; which record it is follows from the manifest's {@link Flavor}. */
public sealed interface ModelBody {

    Flavor flavor();

    /** An XGBoost booster saved by XGBoost itself, as UBJSON ({@code ubj}) or JSON ({@code json}). */
    record XGBoost(String file, String format) implements ModelBody {
        public XGBoost {
            if (format == null) format = file != null && file.endsWith(".json") ? "json" : "ubj";
        }

        @Override
        public Flavor flavor() {
            return Flavor.XGBOOST;
        }
    }

    /**
     * An ONNX graph. {@code inputMode} {@code features}: the graph has one float tensor input
     * {@code [N, F]} fed with the preprocessed feature vector. {@code columns}: the graph has one
     * input per signature field (shape {@code [N, 1]}), fed with the raw values.
     * {@code output} names the graph output read: for classifiers, probabilities {@code [N, K]}
     * (or {@code [N, 1]} holding the positive class for binary); for regression, values.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Onnx(String file, String inputMode, String output) implements ModelBody {
        public static final String FEATURES = "features";
        public static final String COLUMNS = "columns";

        @Override
        public Flavor flavor() {
            return Flavor.ONNX;
        }
    }

    /**
     * A linear model over the feature vector: one coefficient row and intercept per scored class
     * (one row for binary — the positive class, through the logistic function — and regression;
     * one per class for multiclass, through softmax).
     */
    record Linear(List<List<Double>> coefficients, List<Double> intercepts) implements ModelBody {
        public Linear {
            coefficients = coefficients.stream().map(List::copyOf).toList();
            intercepts = List.copyOf(intercepts);
        }

        @Override
        public Flavor flavor() {
            return Flavor.LINEAR;
        }
    }

    /**
     * A model that ignores its input: the majority class with the training class frequencies, or
     * the training mean for regression.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Baseline(String label, Map<String, Double> probabilities, Double value) implements ModelBody {
        @Override
        public Flavor flavor() {
            return Flavor.BASELINE;
        }
    }
}
