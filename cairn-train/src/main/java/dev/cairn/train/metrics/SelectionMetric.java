package dev.cairn.train.metrics;

import dev.cairn.core.error.CairnException;
import dev.cairn.train.data.Labels;
import dev.cairn.train.data.Task;
import java.util.Locale;

/**
 * The metric that picks the best model: {@code roc_auc}, {@code precision_at_recall:0.8} (the best
 * precision with recall at least 0.8), {@code log_loss}, {@code accuracy}, {@code rmse}, {@code mae}
 * or {@code r2}. {@link #key()} is how it is logged ({@code precision_at_recall_0.8}).
 */
public record SelectionMetric(String name, double recall, boolean higherIsBetter) {

    public static SelectionMetric parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("precision_at_recall")) {
            String rest = s.substring("precision_at_recall".length()).replaceFirst("^[:_=@]", "");
            double recall;
            try {
                recall = Double.parseDouble(rest);
            } catch (NumberFormatException e) {
                throw CairnException.invalid("metric", text, "precision_at_recall:<recall>, e.g. precision_at_recall:0.8");
            }
            if (!(recall > 0 && recall <= 1)) throw CairnException.invalid("metric", text, "a recall in (0, 1]");
            return new SelectionMetric("precision_at_recall", recall, true);
        }
        return switch (s) {
            case "roc_auc", "auc" -> new SelectionMetric("roc_auc", Double.NaN, true);
            case "accuracy" -> new SelectionMetric("accuracy", Double.NaN, true);
            case "r2" -> new SelectionMetric("r2", Double.NaN, true);
            case "log_loss", "logloss" -> new SelectionMetric("log_loss", Double.NaN, false);
            case "rmse" -> new SelectionMetric("rmse", Double.NaN, false);
            case "mae" -> new SelectionMetric("mae", Double.NaN, false);
            default -> throw CairnException.invalid("metric", text,
                    "one of roc_auc, precision_at_recall:<recall>, log_loss, accuracy, rmse, mae, r2");
        };
    }

    /** The default for a task: ROC AUC for binary, log loss for multiclass, RMSE for regression. */
    public static SelectionMetric defaultFor(Task task) {
        return parse(switch (task) {
            case BINARY -> "roc_auc";
            case MULTICLASS -> "log_loss";
            case REGRESSION -> "rmse";
        });
    }

    public String key() {
        return name.equals("precision_at_recall") ? name + "_" + trim(recall) : name;
    }

    public void checkTask(Task task) {
        boolean binaryOnly = name.equals("roc_auc") || name.equals("precision_at_recall");
        boolean classification = binaryOnly || name.equals("accuracy") || name.equals("log_loss");
        if ((binaryOnly && task != Task.BINARY) || (classification && !task.isClassification())
                || (!classification && task.isClassification())) {
            throw CairnException.invalid("metric", key(), "a metric for a " + task.wireName() + " label");
        }
    }

    public double compute(Labels labels, double[][] scores) {
        if (name.equals("precision_at_recall")) {
            return Metrics.precisionAtRecall(labels.classIndexes(), Evaluation.column(scores), recall);
        }
        return Evaluation.evaluate(labels, scores).get(name);
    }

    /** True when {@code a} is better than {@code b}; NaN is never better. */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) return false;
        if (Double.isNaN(b)) return true;
        return higherIsBetter ? a > b : a < b;
    }

    private static String trim(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
