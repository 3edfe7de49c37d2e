package dev.cairn.data.drift;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.DataJson;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A multivariate drift reference, as NannyML's data reconstruction: how each feature is imputed,
 * encoded and standardized, the principal components kept (rows of {@code components}, orthonormal,
 * one column per feature in {@code features}' order) and what reconstruction error the reference
 * showed: its mean over the reference chunks, the chunks' standard deviation and the thresholds
 * {@code mean ± 3 std} (the lower one no less than 0, as an error never is) for chunks of
 * {@code chunkSize} rows. Stored as JSON ({@link #toJson()}) in the {@value #FORMAT} format.
 *
 * <p>Every value is checked on construction, so a model read back from JSON can be evaluated as
 * it stands; a bad one is refused with the field it names ({@code features[2].std}).
 */
public record ReconstructionModel(
        String format,
        List<Feature> features,
        List<List<Double>> components,
        List<Double> explainedVarianceRatio,
        double referenceMeanError,
        double referenceChunkStd,
        double lowerThreshold,
        double upperThreshold,
        long referenceRows,
        long chunkSize) {
    public static final String FORMAT = "cairn.multivariate/v1";
    /**
     * How far the components' rows may be from orthonormal. The error's SQL form relies on
     * {@code ||s - WᵀWs||² = ||s||² - ||Ws||²}, which needs orthonormal rows; eigenvectors from the
     * fit are orthonormal to about 1e-15 and survive JSON exactly, so only an edited file is caught.
     */
    static final double ORTHONORMAL_TOLERANCE = 1e-6;

    /** How one feature becomes a standardized number: {@code (encoded value - mean) / std}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(value = Numeric.class, name = "numeric"),
                   @JsonSubTypes.Type(value = Categorical.class, name = "categorical")})
    public sealed interface Feature permits Numeric, Categorical {
        String name();

        double mean();

        double std();
    }

    /** A number; a missing (or non-finite, or unreadable) value counts as {@code impute}, the reference's mean. */
    public record Numeric(String name, double impute, double mean, double std) implements Feature {}

    /**
     * A value compared as text, encoded as its share of the reference rows ({@code frequencies});
     * a value the reference did not have (or one beyond the most frequent kept) encodes as 0, a
     * missing one as {@code impute}, the reference's most frequent value.
     */
    public record Categorical(String name, String impute, double mean, double std, Map<String, Double> frequencies)
            implements Feature {
        public Categorical {
            frequencies = frequencies == null ? null : Collections.unmodifiableMap(new TreeMap<>(frequencies));
        }

        /** The encoded value of a present (non-null) value. */
        public double encode(String value) {
            Double f = frequencies.get(value);
            return f == null ? 0.0 : f;
        }
    }

    public ReconstructionModel {
        if (!FORMAT.equals(format)) throw CairnException.invalid("format", format, FORMAT);
        features = checkFeatures(features);
        components = checkComponents(components, features.size());
        explainedVarianceRatio = checkRatios(explainedVarianceRatio, components.size());
        requireNonNegative("referenceMeanError", referenceMeanError);
        requireNonNegative("referenceChunkStd", referenceChunkStd);
        requireFinite("lowerThreshold", lowerThreshold);
        requireFinite("upperThreshold", upperThreshold);
        if (upperThreshold < lowerThreshold) {
            throw CairnException.invalid("upperThreshold", upperThreshold, "at least lowerThreshold (" + lowerThreshold + ")");
        }
        if (referenceRows < 1) throw CairnException.invalid("referenceRows", referenceRows, "a positive number of rows");
        if (chunkSize < 1 || chunkSize > referenceRows) {
            throw CairnException.invalid("chunkSize", chunkSize, "a number of rows from 1 to referenceRows (" + referenceRows + ")");
        }
    }

    /** The features' names, in the components' column order. */
    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    /** The share of the reference's (standardized) variance that the kept components explain. */
    public double explainedVariance() {
        return explainedVarianceRatio.stream().mapToDouble(Double::doubleValue).sum();
    }

    public String toJson() {
        return DataJson.write(this);
    }

    /** Reads a model written by {@link #toJson()}; anything missing, mistyped or inconsistent is refused naming its field. */
    public static ReconstructionModel fromJson(String json) {
        if (json == null) throw CairnException.invalid("json", null, "a " + FORMAT + " JSON document");
        try {
            return DataJson.MAPPER.readerFor(ReconstructionModel.class)
                    .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                          DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                          DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .readValue(json);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof CairnException c) throw c;
            throw CairnException.invalid(path(e), null, "a valid " + FORMAT + " value (" + e.getOriginalMessage() + ")");
        } catch (InvalidTypeIdException e) {
            throw CairnException.invalid(path(e) + ".kind", e.getTypeId(), "numeric or categorical");
        } catch (InvalidFormatException e) {
            throw CairnException.invalid(path(e), e.getValue(), "a value of type " + e.getTargetType().getSimpleName());
        } catch (JsonMappingException e) {
            throw CairnException.invalid(path(e), null, "a valid " + FORMAT + " value (" + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            throw CairnException.invalid("json", e.getLocation() == null ? null : "line " + e.getLocation().getLineNr(),
                    "a " + FORMAT + " JSON document (" + e.getOriginalMessage() + ")");
        }
    }

    /** The JSON path Jackson stopped at, as {@code features[2].mean}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "json" : path.toString();
    }

    private static List<Feature> checkFeatures(List<Feature> features) {
        if (features == null || features.isEmpty()) throw CairnException.invalid("features", features, "at least one feature");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            String at = "features[" + i + "]";
            if (f == null) throw CairnException.invalid(at, null, "a feature");
            if (f.name() == null || f.name().isEmpty()) throw CairnException.invalid(at + ".name", f.name(), "a column name");
            if (!names.add(f.name())) throw CairnException.invalid(at + ".name", f.name(), "a name no other feature has");
            requireFinite(at + ".mean", f.mean());
            requireFinite(at + ".std", f.std());
            if (!(f.std() > 0)) throw CairnException.invalid(at + ".std", f.std(), "a positive number (a constant column keeps 1)");
            switch (f) {
                case Numeric n -> requireFinite(at + ".impute", n.impute());
                case Categorical c -> {
                    if (c.impute() == null) throw CairnException.invalid(at + ".impute", null, "the value a missing one counts as");
                    if (c.frequencies() == null) throw CairnException.invalid(at + ".frequencies", null, "each value's share of the reference");
                    for (Map.Entry<String, Double> e : c.frequencies().entrySet()) {
                        Double v = e.getValue();
                        if (e.getKey() == null || v == null || !(v >= 0 && v <= 1)) {
                            throw CairnException.invalid(at + ".frequencies." + e.getKey(), v, "a share from 0 to 1");
                        }
                    }
                }
            }
        }
        return List.copyOf(features);
    }

    private static List<List<Double>> checkComponents(List<List<Double>> components, int d) {
        if (components == null || components.isEmpty()) throw CairnException.invalid("components", components, "at least one component");
        for (int j = 0; j < components.size(); j++) {
            List<Double> row = components.get(j);
            if (row == null || row.size() != d) {
                throw CairnException.invalid("components[" + j + "]", row == null ? null : row.size() + " values",
                        d + " values, one per feature");
            }
            for (int i = 0; i < d; i++) {
                Double w = row.get(i);
                if (w == null || !Double.isFinite(w)) throw CairnException.invalid("components[" + j + "][" + i + "]", w, "a finite number");
            }
        }
        for (int a = 0; a < components.size(); a++) {
            for (int b = a; b < components.size(); b++) {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += components.get(a).get(i) * components.get(b).get(i);
                if (Math.abs(dot - (a == b ? 1 : 0)) > ORTHONORMAL_TOLERANCE) {
                    throw CairnException.invalid("components", "rows " + a + " and " + b + " have dot product " + dot,
                            "orthonormal rows (unit length, mutually orthogonal)");
                }
            }
        }
        return components.stream().map(List::copyOf).toList();
    }

    private static List<Double> checkRatios(List<Double> ratios, int k) {
        if (ratios == null || ratios.size() != k) {
            throw CairnException.invalid("explainedVarianceRatio", ratios == null ? null : ratios.size() + " values",
                    k + " values, one per component");
        }
        for (int j = 0; j < k; j++) {
            Double r = ratios.get(j);
            if (r == null || !(r >= 0 && r <= 1)) throw CairnException.invalid("explainedVarianceRatio[" + j + "]", r, "a share from 0 to 1");
        }
        return List.copyOf(ratios);
    }

    private static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) throw CairnException.invalid(field, value, "a finite number");
    }

    private static void requireNonNegative(String field, double value) {
        if (!(Double.isFinite(value) && value >= 0)) throw CairnException.invalid(field, value, "a finite number, at least 0");
    }
}
