package dev.cairn.runtime.preprocess;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.FieldError;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.runtime.preprocess.PreprocessingStep.Bucketize;
import dev.cairn.runtime.preprocess.PreprocessingStep.Impute;
import dev.cairn.runtime.preprocess.PreprocessingStep.OneHot;
import dev.cairn.runtime.preprocess.PreprocessingStep.Ordinal;
import dev.cairn.runtime.preprocess.PreprocessingStep.StandardScale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Turns input rows into the feature vectors a model was trained on: validates every value against
 * the signature (collecting every problem), applies the fitted preprocessing steps, and writes the
 * features in the recorded order. Trainers use the very same encoder to build their training
 * matrix, so training and serving cannot drift apart. Everything that can be is computed once here
 * (field indexes, one-hot slots, category maps); instances are immutable and thread-safe.
 * Missing numeric values become NaN (XGBoost's "missing").
 *
 * <p>Values arrive as the caller has them (JSON, CSV text, JDBC objects) and are converted here, by
 * {@link Coercion}'s rules, and nowhere else: every entry point accepts and refuses the same rows.
 * A category outside a field's domain and a number outside its range are refused or, as the
 * signature's {@link InputPolicy} says, let through (the number with a warning).
 */
public final class FeatureEncoder {

    private final List<Field> inputs;
    private final List<String> inputNames;
    private final List<String> featureNames;
    private final int[] featureSource;
    private final Plan[] plans;
    private final boolean strict;
    private final InputPolicy policy;

    private FeatureEncoder(List<Field> inputs, List<String> featureNames, int[] featureSource, Plan[] plans,
                           boolean strict, InputPolicy policy) {
        this.inputs = inputs;
        this.inputNames = inputs.stream().map(Field::name).toList();
        this.featureNames = featureNames;
        this.featureSource = featureSource;
        this.plans = plans;
        this.strict = strict;
        this.policy = policy;
    }

    /** An encoder for these inputs and this preprocessing that refuses values outside domains and ranges. */
    public static FeatureEncoder of(List<Field> inputs, Preprocessing preprocessing) {
        return of(inputs, preprocessing, InputPolicy.REFUSE_ALL);
    }

    /** An encoder for these inputs and this preprocessing; rejects inconsistent preprocessing with the reason. */
    public static FeatureEncoder of(List<Field> inputs, Preprocessing preprocessing, InputPolicy policy) {
        return Compiler.compile(List.copyOf(inputs), preprocessing, policy);
    }

    /** An encoder whose feature order is the natural one ({@link #naturalFeatureNames}). */
    public static FeatureEncoder natural(List<Field> inputs, List<PreprocessingStep> steps) {
        return of(inputs, new Preprocessing(steps, naturalFeatureNames(inputs, steps)));
    }

    /**
     * The features these steps produce, in input order: a one-hot column expands to one feature per
     * category (then {@code column=__other__} under the OTHER policy); numeric, boolean, timestamp
     * and ordinal-encoded inputs give one feature named after the column; string inputs without an
     * encoder give none.
     */
    public static List<String> naturalFeatureNames(List<Field> inputs, List<PreprocessingStep> steps) {
        List<String> names = new ArrayList<>();
        for (Field f : inputs) {
            PreprocessingStep encoder = null;
            for (PreprocessingStep s : steps) {
                if (s.column().equals(f.name()) && (s instanceof OneHot || s instanceof Ordinal)) encoder = s;
            }
            if (encoder instanceof OneHot oh) {
                for (String c : oh.categories()) names.add(PreprocessingStep.oneHotName(f.name(), c));
                if (oh.unseen() == UnseenPolicy.OTHER) {
                    names.add(PreprocessingStep.oneHotName(f.name(), PreprocessingStep.OTHER_CATEGORY));
                }
            } else if (encoder != null || f.type() != FieldType.STRING) {
                names.add(f.name());
            }
        }
        return names;
    }

    /**
     * The same encoder without the signature's nullability, range and domain checks (types and the
     * encoders' unseen-category policies still apply; a missing value is encoded as missing): for
     * building training matrices and scoring evaluation data, whose values may fall outside what
     * the rows the signature was inferred from held.
     */
    public FeatureEncoder lenient() {
        return new FeatureEncoder(inputs, featureNames, featureSource, plans, false, policy);
    }

    public List<Field> inputs() {
        return inputs;
    }

    public int featureCount() {
        return featureNames.size();
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** The index in {@link #inputs()} of the input each feature comes from. */
    public int[] featureSources() {
        return featureSource.clone();
    }

    /** Sums per-feature values (e.g. SHAP contributions) back to the input each feature came from, in input order. */
    public Map<String, Double> sumByInput(double[] perFeature) {
        double[] sums = new double[inputs.size()];
        boolean[] used = new boolean[inputs.size()];
        for (int f = 0; f < featureSource.length; f++) {
            sums[featureSource[f]] += perFeature[f];
            used[featureSource[f]] = true;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) {
            if (used[i]) out.put(inputNames.get(i), sums[i]);
        }
        return out;
    }

    /** One row's features; throws {@link InvalidInputException} listing every problem. */
    public double[] encode(Map<String, ?> row) {
        double[] out = new double[featureNames.size()];
        List<FieldError> errors = new ArrayList<>(0);
        encodeRow(RowSource.ofMap(row, inputNames), 0, out, 0, errors, null);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return out;
    }

    /** Rows as maps to a row-major float matrix ({@code rows × featureCount}), as XGBoost's DMatrix takes it. */
    public float[] encodeBatch(List<? extends Map<String, ?>> rows) {
        return encodeFloats(RowSource.ofMaps(rows, inputNames));
    }

    /** Columns by input name (see {@link RowSource#ofColumns}) to a row-major float matrix. */
    public float[] encodeColumns(Map<String, ?> columns) {
        return encodeFloats(RowSource.ofColumns(columns, inputNames));
    }

    /** Any rows to a row-major float matrix; throws {@link InvalidInputException} listing every problem of every row. */
    public float[] encodeFloats(RowSource rows) {
        return encodeFloats(rows, null);
    }

    /**
     * Any rows to a row-major float matrix, adding to {@code warnings} (when not null) every value let
     * through with a warning; throws {@link InvalidInputException} listing every problem of every row.
     */
    public float[] encodeFloats(RowSource rows, List<FieldError> warnings) {
        int width = featureNames.size();
        float[] out = new float[rows.size() * width];
        double[] scratch = new double[width];
        List<FieldError> errors = new ArrayList<>(0);
        for (int r = 0; r < rows.size(); r++) {
            int before = errors.size();
            encodeRow(rows, r, scratch, 0, errors, warnings);
            if (errors.size() == before) {
                for (int f = 0; f < width; f++) out[r * width + f] = (float) scratch[f];
            }
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return out;
    }

    /** Any rows to a row-major double matrix; throws {@link InvalidInputException} listing every problem of every row. */
    public double[] encodeDoubles(RowSource rows) {
        int width = featureNames.size();
        double[] out = new double[rows.size() * width];
        List<FieldError> errors = new ArrayList<>(0);
        for (int r = 0; r < rows.size(); r++) encodeRow(rows, r, out, r * width, errors, null);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return out;
    }

    /** Checks rows against the signature without encoding; returns every problem (empty when valid). */
    public List<FieldError> validate(RowSource rows) {
        double[] scratch = new double[featureNames.size()];
        List<FieldError> errors = new ArrayList<>(0);
        for (int r = 0; r < rows.size(); r++) encodeRow(rows, r, scratch, 0, errors, null);
        return errors;
    }

    /**
     * Encodes row {@code row} of {@code rows} into {@code out} from {@code offset}, appending any
     * problem to {@code errors} and any value let through with a warning to {@code warnings} (when not
     * null); the output is meaningless for a row with problems.
     */
    public void encodeRow(RowSource rows, int row, double[] out, int offset, List<FieldError> errors,
                          List<FieldError> warnings) {
        boolean anyKnown = plans.length == 0;
        for (Plan p : plans) {
            if (!anyKnown && rows.has(row, p.input)) anyKnown = true;
        }
        if (!anyKnown) {
            errors.add(new FieldError(FieldError.ROW, null, "at least one of the model's inputs " + listText(inputNames), row));
            return;
        }
        for (Plan p : plans) {
            Object v = rows.get(row, p.input);
            if (Coercion.isMissing(v)) v = null;
            if (v == null && strict && !p.field.nullable()) {
                errors.add(new FieldError(p.field.name(), null, rows.has(row, p.input)
                        ? "a value (the field is not nullable)" : "a value (the field is required and missing)", row));
                continue;
            }
            if (p.categorical) {
                encodeCategory(p, v, row, out, offset, errors);
            } else if (p.field.type() == FieldType.STRING) {
                if (v != null) {
                    String text = Coercion.toCategory(FieldType.STRING, v);
                    if (text == null) {
                        errors.add(new FieldError(p.field.name(), v, "a string", row));
                    } else if (refusesUnseen() && p.domain != null && !p.domain.contains(text)) {
                        errors.add(new FieldError(p.field.name(), v, p.domainText, row));
                    }
                }
            } else {
                encodeNumber(p, v, row, out, offset, errors, warnings);
            }
        }
    }

    private boolean refusesUnseen() {
        return strict && policy.unseenCategory() == InputPolicy.UnseenCategory.REFUSE;
    }

    private void encodeNumber(Plan p, Object v, int row, double[] out, int offset, List<FieldError> errors,
                              List<FieldError> warnings) {
        double x = Double.NaN;
        if (v != null) {
            x = Coercion.toDouble(p.field.type(), v);
            if (x == Coercion.INVALID) {
                errors.add(new FieldError(p.field.name(), v, Coercion.expected(p.field.type()), row));
                return;
            }
            if (strict && ((p.min != null && x < p.min) || (p.max != null && x > p.max))) {
                if (policy.outOfRange() == InputPolicy.OutOfRange.REFUSE) {
                    errors.add(new FieldError(p.field.name(), v, p.rangeText, row));
                    return;
                }
                if (warnings != null) warnings.add(new FieldError(p.field.name(), v, p.rangeText, row));
            }
            if (refusesUnseen() && p.domain != null && !p.domain.contains(Coercion.toCategory(p.field.type(), v))) {
                errors.add(new FieldError(p.field.name(), v, p.domainText, row));
                return;
            }
        }
        for (DoubleUnaryOperator op : p.ops) x = op.applyAsDouble(x);
        if (p.slot >= 0) out[offset + p.slot] = x;
    }

    private void encodeCategory(Plan p, Object v, int row, double[] out, int offset, List<FieldError> errors) {
        String category = null;
        if (v != null) {
            category = Coercion.toCategory(p.field.type(), v);
            if (category == null) {
                errors.add(new FieldError(p.field.name(), v, Coercion.expected(p.field.type()), row));
                return;
            }
        }
        if (category != null && refusesUnseen() && p.domain != null && !p.domain.contains(category)) {
            errors.add(new FieldError(p.field.name(), v, p.domainText, row));
            return;
        }
        if (category == null) category = p.imputeCategory;
        int index;
        if (category == null) {
            index = -1;
        } else {
            Integer known = p.categoryIndex.get(category);
            if (known != null) {
                index = known;
            } else {
                switch (p.unseen) {
                    case ERROR -> {
                        errors.add(new FieldError(p.field.name(), v, p.categoriesText, row));
                        return;
                    }
                    case IGNORE -> index = -1;
                    default -> index = p.categoryCount;
                }
            }
        }
        if (p.oneHot) {
            for (int s : p.slots) if (s >= 0) out[offset + s] = 0.0;
            if (index >= 0 && p.slots[index] >= 0) out[offset + p.slots[index]] = 1.0;
        } else if (p.slot >= 0) {
            out[offset + p.slot] = index < 0 ? Double.NaN : index;
        }
    }

    /** The compiled form of one input: where its features go and what to apply on the way. */
    static final class Plan {
        int input;
        Field field;
        Double min;
        Double max;
        String rangeText;
        Set<String> domain;
        String domainText;
        DoubleUnaryOperator[] ops = new DoubleUnaryOperator[0];
        int slot = -1;
        boolean categorical;
        boolean oneHot;
        String imputeCategory;
        Map<String, Integer> categoryIndex;
        int categoryCount;
        UnseenPolicy unseen;
        String categoriesText;
        int[] slots;
    }

    /** Builds the plans from the steps, rejecting anything inconsistent at load rather than at predict. */
    private static final class Compiler {

        static FeatureEncoder compile(List<Field> inputs, Preprocessing preprocessing, InputPolicy policy) {
            Map<String, Integer> featureIndex = new HashMap<>();
            List<String> features = preprocessing.features();
            for (int i = 0; i < features.size(); i++) {
                if (featureIndex.put(features.get(i), i) != null) {
                    throw bad("feature '" + features.get(i) + "' is listed twice in preprocessing.features");
                }
            }
            Map<String, Integer> inputIndex = new HashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (inputIndex.put(inputs.get(i).name(), i) != null) {
                    throw bad("input '" + inputs.get(i).name() + "' appears twice in the signature");
                }
            }
            Map<String, List<PreprocessingStep>> byColumn = new HashMap<>();
            for (PreprocessingStep s : preprocessing.steps()) {
                if (!inputIndex.containsKey(s.column())) {
                    throw bad("a " + stepName(s) + " step names column '" + s.column() + "', which is not a signature input");
                }
                byColumn.computeIfAbsent(s.column(), k -> new ArrayList<>()).add(s);
            }
            int[] featureSource = new int[features.size()];
            Arrays.fill(featureSource, -1);
            Plan[] plans = new Plan[inputs.size()];
            for (int i = 0; i < inputs.size(); i++) {
                plans[i] = plan(i, inputs.get(i), byColumn.getOrDefault(inputs.get(i).name(), List.of()), featureIndex,
                        featureSource);
            }
            for (int f = 0; f < featureSource.length; f++) {
                if (featureSource[f] < 0) {
                    throw bad("feature '" + features.get(f) + "' is not produced by any input and preprocessing step");
                }
            }
            return new FeatureEncoder(inputs, features, featureSource, plans, true,
                    policy == null ? InputPolicy.REFUSE_ALL : policy);
        }

        private static Plan plan(int index, Field field, List<PreprocessingStep> steps, Map<String, Integer> featureIndex,
                                 int[] featureSource) {
            Plan p = new Plan();
            p.input = index;
            p.field = field;
            p.min = field.min();
            p.max = field.max();
            p.rangeText = "a number in [" + (p.min == null ? "-inf" : p.min) + ", " + (p.max == null ? "inf" : p.max) + "]";
            if (field.domain() != null) {
                p.domain = new HashSet<>(field.domain());
                p.domainText = "one of " + listText(field.domain());
            }
            String name = field.name();
            List<DoubleUnaryOperator> ops = new ArrayList<>();
            for (int s = 0; s < steps.size(); s++) {
                PreprocessingStep step = steps.get(s);
                if (p.categorical) {
                    throw bad("column '" + name + "': a " + stepName(step) + " step follows its categorical encoder, which must be last");
                }
                switch (step) {
                    case Impute im -> {
                        if (im.value() == null) throw bad("column '" + name + "': impute step has no value");
                        boolean encoderFollows = steps.stream().anyMatch(x -> x instanceof OneHot || x instanceof Ordinal);
                        if (field.type() == FieldType.STRING || encoderFollows) {
                            p.imputeCategory = String.valueOf(im.value() instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                                    ? Long.toString(n.longValue()) : im.value());
                        } else if (im.value() instanceof Number n) {
                            double fill = n.doubleValue();
                            ops.add(x -> Double.isNaN(x) ? fill : x);
                        } else {
                            throw bad("column '" + name + "': impute value " + im.value() + " is not a number");
                        }
                    }
                    case StandardScale sc -> {
                        requireNumeric(field, step);
                        double mean = sc.mean();
                        double std = sc.std() == 0.0 ? 1.0 : sc.std();
                        ops.add(x -> (x - mean) / std);
                    }
                    case Bucketize b -> {
                        requireNumeric(field, step);
                        double[] bounds = b.boundaries().stream().mapToDouble(Double::doubleValue).toArray();
                        for (int k = 1; k < bounds.length; k++) {
                            if (!(bounds[k - 1] < bounds[k])) throw bad("column '" + name + "': bucketize boundaries are not strictly ascending");
                        }
                        ops.add(x -> Double.isNaN(x) ? x : bucket(bounds, x));
                    }
                    case OneHot oh -> {
                        noNumericStepsBefore(field, ops);
                        categorical(p, oh.categories(), oh.unseen());
                        p.oneHot = true;
                        int n = oh.categories().size() + (oh.unseen() == UnseenPolicy.OTHER ? 1 : 0);
                        p.slots = new int[n];
                        for (int c = 0; c < n; c++) {
                            String category = c < oh.categories().size() ? oh.categories().get(c) : PreprocessingStep.OTHER_CATEGORY;
                            Integer f = featureIndex.get(PreprocessingStep.oneHotName(name, category));
                            p.slots[c] = f == null ? -1 : f;
                            if (f != null) featureSource[f] = index;
                        }
                    }
                    case Ordinal od -> {
                        noNumericStepsBefore(field, ops);
                        categorical(p, od.categories(), od.unseen());
                    }
                }
            }
            p.ops = ops.toArray(DoubleUnaryOperator[]::new);
            if (!p.oneHot) {
                Integer f = featureIndex.get(name);
                if (f != null) {
                    if (field.type() == FieldType.STRING && !p.categorical) {
                        throw bad("feature '" + name + "' comes from string input '" + name + "', which has no one_hot or ordinal step");
                    }
                    p.slot = f;
                    featureSource[f] = index;
                }
            }
            return p;
        }

        private static void categorical(Plan p, List<String> categories, UnseenPolicy unseen) {
            p.categorical = true;
            p.categoryIndex = new HashMap<>();
            for (int c = 0; c < categories.size(); c++) {
                if (p.categoryIndex.put(categories.get(c), c) != null) {
                    throw bad("column '" + p.field.name() + "': category '" + categories.get(c) + "' is listed twice");
                }
            }
            p.categoryCount = categories.size();
            p.unseen = unseen;
            p.categoriesText = "one of the categories seen in training " + listText(categories);
        }

        private static void noNumericStepsBefore(Field field, List<DoubleUnaryOperator> ops) {
            if (!ops.isEmpty()) throw bad("column '" + field.name() + "': numeric steps before a categorical encoder");
        }

        private static double bucket(double[] bounds, double x) {
            int lo = 0;
            int hi = bounds.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (bounds[mid] <= x) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        private static void requireNumeric(Field field, PreprocessingStep step) {
            if (field.type() == FieldType.STRING) {
                throw bad("column '" + field.name() + "' is a string; a " + stepName(step) + " step needs a number");
            }
        }

        private static String stepName(PreprocessingStep s) {
            return switch (s) {
                case Impute i -> "impute";
                case OneHot o -> "one_hot";
                case Ordinal o -> "ordinal";
                case StandardScale s2 -> "standard_scale";
                case Bucketize b -> "bucketize";
            };
        }

        private static CairnException bad(String reason) {
            return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid preprocessing: " + reason,
                    Map.of("field", "preprocessing", "reason", reason));
        }
    }

    static String listText(List<String> values) {
        if (values.size() <= 30) return values.toString();
        return values.subList(0, 30) + " (and " + (values.size() - 30) + " more)";
    }
}
