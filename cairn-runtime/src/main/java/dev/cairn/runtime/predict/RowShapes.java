package dev.cairn.runtime.predict;

import dev.cairn.runtime.Model;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.preprocess.RowSource;
import java.util.List;
import java.util.Map;

/**
 * The row shapes a {@link Model} takes (one map, a list of maps, columns), each turned into a
 * {@link RowSource} once with the input names resolved at construction, for a model and for its
 * lenient view alike.
 */
abstract class RowShapes implements Model {
    private final List<String> inputNames;
    private final String[] inputNameArray;

    RowShapes(List<String> inputNames) {
        this.inputNames = List.copyOf(inputNames);
        this.inputNameArray = inputNames.toArray(String[]::new);
    }

    @Override
    public Prediction predict(Map<String, ?> row) {
        return predict(RowSource.ofMap(row, inputNameArray)).getFirst();
    }

    @Override
    public List<Prediction> predict(List<? extends Map<String, ?>> rows) {
        return predict(RowSource.ofMaps(rows, inputNames));
    }

    @Override
    public List<Prediction> predictColumns(Map<String, ?> columns) {
        return predict(RowSource.ofColumns(columns, inputNames));
    }
}
