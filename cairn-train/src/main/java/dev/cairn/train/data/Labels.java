package dev.cairn.train.data;

import dev.cairn.core.error.CairnException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The label column turned into training targets. For classification, {@code classes} are the
 * label's distinct values in sorted order (class i is encoded as i) and for a binary task the
 * positive class is moved to position 1; for regression {@code classes} is empty.
 */
public record Labels(String column, Task task, List<String> classes, double[] targets) {

    /** Integer-valued labels with at most this many distinct values are taken as classes. */
    static final int MAX_INFERRED_CLASSES = 10;

    public int[] classIndexes() {
        int[] out = new int[targets.length];
        for (int i = 0; i < out.length; i++) out[i] = (int) targets[i];
        return out;
    }

    public Labels select(int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = targets[rows[i]];
        return new Labels(column, task, classes, out);
    }

    /**
     * Encodes {@code column} of {@code frame}. {@code task} may be null to infer it: text and
     * booleans are classes, integers with few distinct values are classes, other numbers regression.
     * {@code positiveClass} may be null (the second class in sorted order is positive).
     */
    public static Labels of(Frame frame, String column, Task task, String positiveClass) {
        Column c = frame.column(column, "label");
        int missing = 0;
        for (int i = 0; i < c.size(); i++) if (c.isMissing(i)) missing++;
        if (missing > 0) {
            throw CairnException.invalid("label", column, "a column without missing values (" + missing + " of " + c.size() + " rows have none)");
        }
        Task resolved = task != null ? task : infer(c);
        if (resolved == Task.REGRESSION) {
            if (!(c instanceof Column.Numeric numeric)) {
                throw CairnException.invalid("label", column, "a numeric column for regression (it holds text such as '" + c.value(0) + "')");
            }
            return new Labels(column, resolved, List.of(), numeric.values().clone());
        }
        String[] text = new String[c.size()];
        for (int i = 0; i < text.length; i++) text[i] = render(c.value(i));
        List<String> classes = new ArrayList<>(new TreeSet<>(List.of(text)));
        if (classes.size() < 2) {
            throw CairnException.invalid("label", column, "at least two classes (it only holds " + classes + ")");
        }
        if (resolved == Task.BINARY && classes.size() > 2) {
            throw CairnException.invalid("label", column, "two classes for a binary task (it holds " + classes.size() + ": " + preview(classes) + ")");
        }
        if (resolved == Task.MULTICLASS && classes.size() == 2) resolved = Task.BINARY;
        if (positiveClass != null) {
            if (resolved != Task.BINARY || !classes.contains(positiveClass)) {
                throw CairnException.invalid("positive_class", positiveClass, "one of the label's two classes " + preview(classes));
            }
            classes.remove(positiveClass);
            classes.add(positiveClass);
        }
        double[] targets = new double[text.length];
        for (int i = 0; i < text.length; i++) targets[i] = classes.indexOf(text[i]);
        return new Labels(column, resolved, List.copyOf(classes), targets);
    }

    private static Task infer(Column c) {
        if (c instanceof Column.Text) return Task.MULTICLASS;
        Column.Numeric numeric = (Column.Numeric) c;
        if (numeric.type() == dev.cairn.core.schema.FieldType.BOOLEAN) return Task.BINARY;
        TreeSet<Double> distinct = new TreeSet<>();
        for (double v : numeric.values()) {
            if (v != Math.rint(v)) return Task.REGRESSION;
            distinct.add(v);
            if (distinct.size() > MAX_INFERRED_CLASSES) return Task.REGRESSION;
        }
        return Task.MULTICLASS;
    }

    private static String render(Object value) {
        if (value instanceof Double d && d == Math.rint(d)) return Long.toString(d.longValue());
        return String.valueOf(value);
    }

    private static String preview(List<String> classes) {
        return classes.size() <= 10 ? classes.toString() : classes.subList(0, 10) + "…";
    }
}
