package dev.cairn.runtime.predict;

import dev.cairn.runtime.Model;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelPackage;

/** Picks the implementation for a verified package's flavor. */
public final class ModelFactory {
    private ModelFactory() {
    }

    public static Model create(ModelPackage pkg) {
        return switch (pkg.manifest().model()) {
            case ModelBody.XGBoost x -> new XGBoostModel(pkg, x);
            case ModelBody.Linear l -> new LinearModel(pkg, l);
            case ModelBody.Baseline b -> new BaselineModel(pkg, b);
            case ModelBody.Onnx o -> new OnnxModel(pkg, o);
        };
    }
}
