package dev.cairn.server.serving;

import dev.cairn.core.schema.Field;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model version as serving uses it: the runtime's {@link Model} plus the registry name
 * and version it answers as. Shared by every deployment that routes to the same version.
 */
public final class ServedModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServedModel.class);

    private final String name;
    private final String version;
    private final String uri;
    private final Model model;
    private final List<String> inputNames;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean warm;

    public ServedModel(String name, String version, String uri, Model model) {
        this.name = name;
        this.version = version;
        this.uri = uri;
        this.model = model;
        this.inputNames = model.signature().inputNames();
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** The URI it was loaded from, with an alias resolved to its version ({@code models:/name/3}). */
    public String uri() {
        return uri;
    }

    public Signature signature() {
        return model.signature();
    }

    public Model model() {
        return model;
    }

    public List<String> inputNames() {
        return inputNames;
    }

    public boolean isWarm() {
        return warm;
    }

    /** The rows of a parsed request in this model's terms: positional values named. */
    List<Map<String, Object>> rowsOf(ParsedInput input) {
        return input.rows(inputNames);
    }

    /** Predicts every row; with {@code explain}, each prediction carries per-input contributions. */
    public List<Prediction> predict(List<Map<String, Object>> rows, boolean explain) {
        if (explain && model.supportsContributions()) {
            if (rows.size() > 1) {
                // Validate the whole batch first, so every row's problems are reported at once.
                model.predict(rows);
            }
            List<Prediction> out = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) out.add(model.explain(row));
            return out;
        }
        if (rows.size() == 1) {
            return List.of(model.predict(rows.get(0)));
        }
        return model.predict(rows);
    }

    /**
     * Runs the model a few hundred times on its input example (or a row made from its signature)
     * so the first real request meets compiled code and initialised native state.
     */
    public void warmUp(int iterations) {
        Map<String, Object> example = exampleRow();
        try {
            for (int i = 0; i < iterations; i++) {
                model.predict(example);
            }
            if (model.supportsContributions()) model.explain(example);
        } catch (RuntimeException e) {
            // A signature the synthesised row does not satisfy only means a colder start.
            LOG.info("Warm-up of {} version {} stopped early: {}", name, version, e.getMessage());
        }
        warm = true;
    }

    Map<String, Object> exampleRow() {
        Map<String, ?> given = model.manifest().inputExample();
        if (given != null && !given.isEmpty()) return new LinkedHashMap<>(given);
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field f : model.signature().inputs()) {
            Object v;
            if (f.isCategorical() && !f.domain().isEmpty()) {
                String first = f.domain().get(0);
                v = switch (f.type()) {
                    case INTEGER, TIMESTAMP -> Long.parseLong(first);
                    case DOUBLE -> Double.parseDouble(first);
                    case BOOLEAN -> Boolean.parseBoolean(first);
                    case STRING -> first;
                };
            } else {
                double low = f.min() != null ? f.min() : 0.0;
                v = switch (f.type()) {
                    case INTEGER, TIMESTAMP -> (long) Math.ceil(low);
                    case DOUBLE -> low;
                    case BOOLEAN -> Boolean.FALSE;
                    case STRING -> "";
                };
            }
            row.put(f.name(), v);
        }
        return row;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            model.close();
        }
    }

    @Override
    public String toString() {
        return name + " version " + version;
    }
}
