package dev.cairn.train.algorithm;

/**
 * Encoded rows ready for a booster: row-major {@code values} ({@code rows × columns}, NaN when
 * missing), the target of each row and its weight.
 */
public record FeatureMatrix(float[] values, int rows, int columns, float[] labels, float[] weights) {

    public FeatureMatrix {
        if (values.length != (long) rows * columns) {
            throw new IllegalArgumentException(values.length + " values for " + rows + "×" + columns);
        }
    }
}
