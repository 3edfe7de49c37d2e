package dev.cairn.data.check;

import dev.cairn.data.schema.Severity;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The common shape of most checks: a few aggregate expressions, a failing-row predicate and a
 * judge. The factory ({@link CheckCompiler}) builds one per check kind.
 */
record SqlCheck(String name, String kind, String column, Severity severity, List<String> aggregates,
                String failingRowPredicate, BiFunction<List<Double>, Context, Outcome> judge,
                Function<List<Double>, Map<String, Double>> metricsOf) implements Check {

    @Override
    public Outcome evaluate(List<Double> values, Context context) {
        return judge.apply(values, context);
    }

    @Override
    public Map<String, Double> metrics(List<Double> values) {
        return metricsOf == null ? Map.of() : metricsOf.apply(values);
    }
}
