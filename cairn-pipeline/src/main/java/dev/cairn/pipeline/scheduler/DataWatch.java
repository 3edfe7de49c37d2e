package dev.cairn.pipeline.scheduler;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.SourceFingerprints;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Reference;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.pipeline.spec.StepType;
import java.util.Map;
import java.util.function.Function;

/**
 * The fingerprint of what a {@code read} step reads, as a data trigger compares it (a token, equal when nothing watched changed): the
 * {@code fingerprint} query's result when the step gives one, else the file's hash or the table's row count. The
 * step's {@code with} may only use parameters here (their defaults: a data trigger fires a run with defaults).
 */
public final class DataWatch {
    private final SourceFingerprints fingerprints = new SourceFingerprints();

    /** The fingerprint of the read step {@code stepId} of {@code spec}, resolved in {@code workspace}. */
    public String of(PipelineSpec spec, String stepId, Workspace workspace, Function<String, String> environment) {
        return of(spec, stepId, null, workspace, environment);
    }

    /**
     * As above, or, when {@code query} is given (a data trigger's own {@code fingerprint}), that query's result in the
     * read step's database.
     */
    public String of(PipelineSpec spec, String stepId, String query, Workspace workspace, Function<String, String> environment) {
        Step step = spec.step(stepId);
        if (step.type() != StepType.READ) throw CairnException.invalid("triggers.data.source", stepId, "the id of a read step");
        Map<String, Object> with = step.resolveWith(reference -> {
            if (reference.kind() != Reference.Kind.PARAM) {
                throw CairnException.invalid("steps." + stepId + ".with", reference.expression(),
                        "only ${params.*} in a step a data trigger watches");
            }
            return spec.parameters().get(reference.name());
        });
        return of(stepId, with, query, workspace, environment);
    }

    /** The fingerprint of a read step's resolved {@code with}. */
    public String of(String stepId, Map<String, Object> with, Workspace workspace, Function<String, String> environment) {
        return of(stepId, with, null, workspace, environment);
    }

    private String of(String stepId, Map<String, Object> with, String triggerQuery, Workspace workspace,
                      Function<String, String> environment) {
        String field = "steps." + stepId + ".with.source";
        String source = String.valueOf(with.get("source"));
        if (!Workspace.isJdbc(source)) {
            if (triggerQuery != null) {
                throw CairnException.invalid("triggers.data.fingerprint", triggerQuery, "no query: step " + stepId
                        + " reads a file, whose hash is its fingerprint (a fingerprint query needs a JDBC source)");
            }
            return fingerprints.of(FileSource.of(workspace.file(field, source))).token();
        }
        String url = workspace.jdbcUrl(field, source);
        String user = with.get("user") == null ? null : String.valueOf(with.get("user"));
        String password = null;
        if (with.get("password_env") != null) {
            password = environment.apply(String.valueOf(with.get("password_env")));
            if (password == null) {
                throw CairnException.invalid("steps." + stepId + ".with.password_env", with.get("password_env"),
                        "the name of a set environment variable");
            }
        }
        Object query = triggerQuery != null ? triggerQuery : with.get("fingerprint");
        if (query != null) return fingerprints.queryResult(new JdbcSource(url, user, password, String.valueOf(query)));
        Object read = with.get("query") != null ? with.get("query") : with.get("table");
        return fingerprints.of(new JdbcSource(url, user, password, String.valueOf(read))).token();
    }
}
