package dev.cairn.pipeline.spec;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Collects every problem of a spec, so one validation reports them all rather than the first. */
final class Problems {
    private final List<SpecProblem> problems = new ArrayList<>();

    void add(int line, int column, String path, String message) {
        problems.add(new SpecProblem(line, column, path, message));
    }

    /** A problem about a value; none about one that could not be read, which is reported already. */
    void add(YamlNode at, String path, String message) {
        if (at instanceof YamlNode.Invalid) return;
        add(at.line(), at.column(), path, message);
    }

    void add(YamlNode.Entry key, String path, String message) {
        add(key.line(), key.column(), path, message);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int size() {
        return problems.size();
    }

    /** In the order of the text; problems on one line keep the order they were found in. */
    List<SpecProblem> sorted() {
        return problems.stream()
                .sorted(Comparator.comparingInt(SpecProblem::line).thenComparingInt(SpecProblem::column))
                .distinct()
                .toList();
    }

    /**
     * One exception for them all: the message lists them one per line, {@code details.errors} holds them as
     * {line, column, path, message} and {@code details.source} names the spec.
     */
    CairnException exception(String source) {
        List<SpecProblem> sorted = sorted();
        String message = sorted.stream().map(p -> p.format(source)).collect(Collectors.joining("\n"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", "pipeline");
        details.put("source", source);
        details.put("errors", sorted.stream().map(SpecProblem::toMap).toList());
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message, details);
    }
}
