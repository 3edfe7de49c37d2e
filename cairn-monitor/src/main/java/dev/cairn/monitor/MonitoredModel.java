package dev.cairn.monitor;

import dev.cairn.core.schema.Field;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.runtime.pkg.Signature;
import java.util.List;

/**
 * A served model version as monitoring sees it: its signature (the contract live inputs are checked
 * against), its decision threshold, and the reference stored with it at training (the training data's
 * profile, the validation rows' labels and scores, the multivariate-drift model). Parts of the
 * reference may be absent (a model imported, or trained before references were stored): the metrics
 * that need them are then not computed, and {@link #missingReference()} says why.
 */
public record MonitoredModel(String name, String version, Signature signature, double threshold,
                             DatasetProfile trainingProfile, ReferencePredictions predictions, String multivariateJson) {

    /** The validation rows' true labels (1 = positive class; the value for regression) and the model's scores. */
    public record ReferencePredictions(double[] labels, double[] scores) {
        public int[] binaryLabels() {
            int[] y = new int[labels.length];
            for (int i = 0; i < y.length; i++) y[i] = labels[i] > 0.5 ? 1 : 0;
            return y;
        }
    }

    public List<Field> inputs() {
        return signature.inputs();
    }

    public OutputKind kind() {
        return signature.output().kind();
    }

    /** The class whose probability is the score: the positive class of a binary classifier; null otherwise. */
    public String positiveClass() {
        return kind() == OutputKind.BINARY ? signature.output().classes().get(1) : null;
    }

    /** What of the reference is missing, for status and reports; empty when complete. */
    public List<String> missingReference() {
        List<String> missing = new java.util.ArrayList<>();
        if (trainingProfile == null) missing.add("training profile (input drift is not computed; give one with `cairn models reference`)");
        if (predictions == null) missing.add("validation predictions (prediction drift and estimated performance are not computed)");
        if (multivariateJson == null) missing.add("multivariate reference (reconstruction-error drift is not computed)");
        return missing;
    }
}
