package dev.cairn.store.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A piece of SQL with its parameters, in the order of their placeholders. */
public record SqlFragment(String sql, List<Object> params) {

    public SqlFragment {
        params = List.copyOf(params == null ? List.of() : params.stream().map(p -> (Object) p).toList());
    }

    public static SqlFragment of(String sql, Object... params) {
        return new SqlFragment(sql, java.util.Arrays.asList(params));
    }

    /**
     * Compiles a filter tree, each comparison by {@code comparison}; AND and OR keep their grouping
     * with explicit parentheses. A null filter compiles to {@code 1 = 1}.
     */
    public static SqlFragment compile(Filter filter, Function<Filter.Comparison, SqlFragment> comparison) {
        if (filter == null) return of("1 = 1");
        return switch (filter) {
            case Filter.Comparison c -> comparison.apply(c);
            case Filter.And and -> join(and.parts(), " AND ", comparison);
            case Filter.Or or -> join(or.parts(), " OR ", comparison);
        };
    }

    private static SqlFragment join(List<Filter> parts, String operator, Function<Filter.Comparison, SqlFragment> comparison) {
        StringBuilder sql = new StringBuilder("(");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            SqlFragment part = compile(parts.get(i), comparison);
            if (i > 0) sql.append(operator);
            sql.append(part.sql());
            params.addAll(part.params());
        }
        return new SqlFragment(sql.append(')').toString(), params);
    }
}
