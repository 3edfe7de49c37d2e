package dev.cairn.train.features;

import dev.cairn.runtime.preprocess.RowSource;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import java.util.List;

/** A {@link Frame} seen as the runtime encoder's input rows, by the encoder's input order. */
public final class FrameRows implements RowSource {
    private final Column[] columns;
    private final int size;

    public FrameRows(Frame frame, List<String> inputNames) {
        this.columns = new Column[inputNames.size()];
        for (int i = 0; i < columns.length; i++) {
            String name = inputNames.get(i);
            columns[i] = frame.has(name) ? frame.column(name, "feature") : null;
        }
        this.size = frame.rowCount();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean has(int row, int field) {
        return columns[field] != null;
    }

    @Override
    public Object get(int row, int field) {
        Column c = columns[field];
        return c == null ? null : c.value(row);
    }
}
