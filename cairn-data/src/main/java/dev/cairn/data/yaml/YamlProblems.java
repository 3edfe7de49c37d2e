package dev.cairn.data.yaml;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Collects every problem of a YAML document, so one validation reports them all rather than the first. */
public final class YamlProblems {
    private final List<YamlProblem> problems = new ArrayList<>();

    public void add(int line, int column, String path, String message) {
        problems.add(new YamlProblem(line, column, path, message));
    }

    /** A problem about a value; none about one that could not be read, which is reported already. */
    public void add(YamlNode at, String path, String message) {
        if (at instanceof YamlNode.Invalid) return;
        add(at.line(), at.column(), path, message);
    }

    public void add(YamlNode.Entry key, String path, String message) {
        add(key.line(), key.column(), path, message);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    /** In the order of the text; problems on one line keep the order they were found in. */
    public List<YamlProblem> sorted() {
        return problems.stream()
                .sorted(Comparator.comparingInt(YamlProblem::line).thenComparingInt(YamlProblem::column))
                .distinct()
                .toList();
    }

    /**
     * One exception for them all: the message lists them one per line, {@code details.errors} holds them as
     * {line, column, path, message}, {@code details.source} names the document and {@code details.field} what it is
     * ({@code pipeline}, {@code feature_definitions}).
     */
    public CairnException exception(String source, String field) {
        List<YamlProblem> sorted = sorted();
        String message = sorted.stream().map(p -> p.format(source)).collect(Collectors.joining("\n"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("source", source);
        details.put("errors", sorted.stream().map(YamlProblem::toMap).toList());
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message, details);
    }
}
