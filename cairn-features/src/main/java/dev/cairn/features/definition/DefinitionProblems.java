package dev.cairn.features.definition;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.yaml.YamlProblem;
import dev.cairn.data.yaml.YamlProblems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The problems of every definition file of one apply, so that all of them are reported at once. */
public final class DefinitionProblems {
    private final Map<String, YamlProblems> byFile = new LinkedHashMap<>();

    /** The problems of one file (in the order files are read). */
    public YamlProblems of(String file) {
        return byFile.computeIfAbsent(file, f -> new YamlProblems());
    }

    public void add(DefinitionReader.Site site, String message) {
        of(site.file()).add(site.line(), site.column(), site.path(), message);
    }

    public boolean isEmpty() {
        return byFile.values().stream().allMatch(YamlProblems::isEmpty);
    }

    /**
     * One exception for them all: one problem per line of the message ({@code defs.yaml line 4, feature_views.spend.ttl:
     * ...}), and {@code details.errors} as {file, line, column, path, message}.
     */
    public CairnException exception() {
        List<String> lines = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        byFile.forEach((file, problems) -> {
            for (YamlProblem p : problems.sorted()) {
                lines.add(p.format(file));
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("file", file);
                error.putAll(p.toMap());
                errors.add(error);
            }
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", "feature_definitions");
        details.put("errors", errors);
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, String.join("\n", lines), details);
    }
}
