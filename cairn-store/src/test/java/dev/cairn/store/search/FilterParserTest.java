package dev.cairn.store.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FilterParserTest {

    private static Filter.Comparison comparison(String text) {
        return (Filter.Comparison) FilterParser.parse(text);
    }

    @Test
    @DisplayName("entity prefixes and their aliases map to one canonical entity; a bare name is an attribute")
    void entities() {
        assertThat(comparison("metrics.auc > 1").entity()).isEqualTo("metric");
        assertThat(comparison("metric.auc > 1").entity()).isEqualTo("metric");
        assertThat(comparison("params.x = 'a'").entity()).isEqualTo("param");
        assertThat(comparison("parameter.x = 'a'").entity()).isEqualTo("param");
        assertThat(comparison("tag.x = 'a'").entity()).isEqualTo("tag");
        assertThat(comparison("attr.status = 'a'").entity()).isEqualTo("attribute");
        assertThat(comparison("status = 'a'").entity()).isEqualTo("attribute");
        assertThat(comparison("datasets.digest = 'a'").entity()).isEqualTo("dataset");
    }

    @Test
    @DisplayName("keys may be quoted with backticks or double quotes and may hold dots, dashes and spaces")
    void quotedKeys() {
        assertThat(comparison("metrics.`val loss` < 2").key()).isEqualTo("val loss");
        assertThat(comparison("metrics.\"val loss\" < 2").key()).isEqualTo("val loss");
        assertThat(comparison("`params`.`a.b` = 'x'").key()).isEqualTo("a.b");
        assertThat(comparison("params.model.depth = 'x'").key()).isEqualTo("model.depth");
        assertThat(comparison("tags.mlflow.runName = 'x'").key()).isEqualTo("mlflow.runName");
    }

    @Test
    @DisplayName("values are numbers, single- or double-quoted strings (with doubled quotes), or lists for IN")
    void values() {
        assertThat(comparison("metrics.a >= -1.5e-3").value()).isEqualTo(new BigDecimal("-1.5e-3"));
        assertThat(comparison("params.a = 'it''s'").value()).isEqualTo("it's");
        assertThat(comparison("params.a = \"x\"").value()).isEqualTo("x");
        Filter.Comparison in = comparison("tags.t NOT IN ('a', 'b')");
        assertThat(in.comparator()).isEqualTo("NOT IN");
        assertThat(in.value()).isEqualTo(List.of("a", "b"));
        assertThat(comparison("params.a <> 'x'").comparator()).isEqualTo("!=");
        assertThat(comparison("params.a like 'x%'").comparator()).isEqualTo("LIKE");
    }

    @Test
    @DisplayName("AND binds tighter than OR, and parentheses group")
    void precedence() {
        Filter filter = FilterParser.parse("a = '1' or b = '2' and c = '3'");
        assertThat(filter).isInstanceOf(Filter.Or.class);
        Filter.Or or = (Filter.Or) filter;
        assertThat(or.parts().get(0)).isInstanceOf(Filter.Comparison.class);
        assertThat(or.parts().get(1)).isInstanceOf(Filter.And.class);

        Filter grouped = FilterParser.parse("(a = '1' or b = '2') and c = '3'");
        assertThat(grouped).isInstanceOf(Filter.And.class);
        assertThat(((Filter.And) grouped).parts().get(0)).isInstanceOf(Filter.Or.class);
        assertThat(FilterParser.parse("  ")).isNull();
    }

    @Test
    @DisplayName("errors name the offending token and its position")
    void errors() {
        assertThat(error("metrics.auc >")).contains("position 13").contains("end of input");
        assertThat(error("metrics.auc = 1 and")).contains("position 19");
        assertThat(error("metrics.auc 1")).contains("'1'").contains("position 12");
        assertThat(error("metrics.auc = 1 params.x = '1'")).contains("'params.x'").contains("position 16");
        assertThat(error("nonsense.x = 1")).contains("'nonsense'").contains("position 0");
        assertThat(error("params.x = 'open")).contains("never closed").contains("position 11");
        assertThat(error("params.x IN 'a'")).contains("'('");
        assertThat(error("params.x = 1 # comment")).contains("'#'").contains("position 13");
        assertThat(error("(params.x = '1'")).contains("')'");
    }

    @Test
    @DisplayName("order-by clauses name a key and an optional direction")
    void orderBy() {
        FilterParser.OrderKey key = FilterParser.parseOrderBy("metrics.auc DESC");
        assertThat(key.entity()).isEqualTo("metric");
        assertThat(key.key()).isEqualTo("auc");
        assertThat(key.ascending()).isFalse();
        assertThat(FilterParser.parseOrderBy("params.`a b`").ascending()).isTrue();
        assertThat(FilterParser.parseOrderBy("start_time asc").entity()).isEqualTo("attribute");
        assertThat(catchThrowableOfType(CairnException.class, () -> FilterParser.parseOrderBy("metrics.auc upward")).getMessage())
                .contains("'upward'");
    }

    private static String error(String filter) {
        CairnException e = catchThrowableOfType(CairnException.class, () -> FilterParser.parse(filter));
        assertThat(e).as("expected %s to be refused", filter).isNotNull();
        return e.getMessage();
    }

    @Test
    @DisplayName("filters over the size limits are refused naming the limit, before the parser's stack or SQLite gives out")
    void sizeLimits() {
        String deep = "(".repeat(20_000) + "metrics.a > 1" + ")".repeat(20_000);
        CairnException nested = catchThrowableOfType(CairnException.class, () -> FilterParser.parse(deep));
        assertThat(nested.getMessage()).isEqualTo("Invalid filter: the filter nests parentheses deeper than 100 levels");
        assertThat(nested.details()).containsEntry("field", "filter").containsEntry("limit", 100);
        String hundred = "(".repeat(100) + "metrics.a > 1" + ")".repeat(100);
        assertThat(FilterParser.parse(hundred)).isInstanceOf(Filter.Comparison.class);

        String many = String.join(" AND ", java.util.Collections.nCopies(1000, "metrics.a > 1"));
        CairnException terms = catchThrowableOfType(CairnException.class, () -> FilterParser.parse(many));
        assertThat(terms.getMessage()).isEqualTo("Invalid filter: the filter has more than 200 terms");
        String ors = String.join(" OR ", java.util.Collections.nCopies(201, "metrics.a > 1"));
        assertThat(catchThrowableOfType(CairnException.class, () -> FilterParser.parse(ors)).details()).containsEntry("limit", 200);
        assertThat(FilterParser.parse(String.join(" AND ", java.util.Collections.nCopies(200, "metrics.a > 1")))).isInstanceOf(Filter.And.class);

        String list = "tags.t IN (" + String.join(", ", java.util.Collections.nCopies(1001, "'x'")) + ")";
        assertThat(catchThrowableOfType(CairnException.class, () -> FilterParser.parse(list)).getMessage())
                .contains("more than 1000 values");
    }
}
