package dev.cairn.runtime.pkg;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the model's bytes are executed. Each flavor has its own {@link ModelBody} record. */
public enum Flavor {
    @JsonProperty("xgboost") XGBOOST(ModelBody.XGBoost.class),
    @JsonProperty("onnx") ONNX(ModelBody.Onnx.class),
    @JsonProperty("linear") LINEAR(ModelBody.Linear.class),
    @JsonProperty("baseline") BASELINE(ModelBody.Baseline.class);

    private final Class<? extends ModelBody> bodyType;

    Flavor(Class<? extends ModelBody> bodyType) {
        this.bodyType = bodyType;
    }

    /** The record that the {@code model:} block of model.yaml holds for this flavor. */
    public Class<? extends ModelBody> bodyType() {
        return bodyType;
    }

    /** The name written in model.yaml. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
