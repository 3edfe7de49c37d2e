package dev.cairn.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.pipeline.schedule.Trigger;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated pipeline spec: a DAG of typed steps with parameters, triggers and a concurrency policy, read from
 * YAML (the shape is documented in this package's {@code package-info}). A spec that parses is consistent: its
 * needs name known steps without cycles, every reference names a declared parameter or an output its step type
 * declares of a step upstream, every cron and time zone is valid.
 *
 * @param name        the pipeline's name, {@code [a-z0-9][a-z0-9_-]*}
 * @param description optional, for people
 * @param parameters  name to default value (null: must be given when a run starts), in declaration order
 * @param triggers    what starts runs by itself (a run can always be started by hand or by CI)
 * @param concurrency runs at once and what happens to the one too many
 * @param steps       in declaration order; see {@link #order()}
 * @param source      where the spec came from (a file path, or the name given to {@link #parse})
 * @param sha256      of the exact text (its UTF-8 bytes): the spec's version in runs and caches
 * @param text        the text itself, as read (left out of JSON: the hash names it)
 */
public record PipelineSpec(String name, String description, Map<String, Object> parameters, List<Trigger> triggers,
                           Concurrency concurrency, List<Step> steps, String source, String sha256,
                           @JsonIgnore String text) {

    public PipelineSpec {
        Objects.requireNonNull(name, "name");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        triggers = List.copyOf(triggers);
        Objects.requireNonNull(concurrency, "concurrency");
        steps = List.copyOf(steps);
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(text, "text");
    }

    /**
     * Parses and validates {@code yaml}; {@code sourceName} names it in messages ("retrain.yaml line 14, ...").
     * Every problem found is reported at once, in one {@link CairnException} (INVALID_PARAMETER_VALUE) whose message
     * has one problem per line and whose {@code details.errors} lists them as {line, column, path, message}.
     */
    public static PipelineSpec parse(String yaml, String sourceName) {
        Objects.requireNonNull(yaml, "yaml");
        return new SpecParser(yaml, sourceName == null ? "pipeline spec" : sourceName).parse();
    }

    /** Reads and parses a spec file (UTF-8); the path as given names it in messages. */
    public static PipelineSpec read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Pipeline spec '" + file + "' does not exist",
                    Map.of("resource", "pipeline spec", "id", file.toString()));
        } catch (IOException e) {
            throw CairnException.invalid("file", file.toString(), "a readable pipeline spec (" + e.getMessage() + ")");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CairnException.invalid("file", file.toString(), "a UTF-8 text file");
        }
        return parse(text, file.toString());
    }

    /** The SHA-256 (hex) of a spec's text, as {@link #sha256()} holds it. */
    public static String sha256Of(String text) {
        return Sha256.of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The step with this id, if any. */
    public Optional<Step> findStep(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The step with this id; an unknown id is RESOURCE_DOES_NOT_EXIST. */
    public Step step(String id) {
        return findStep(id).orElseThrow(() -> CairnException.notFound("step", id));
    }

    /**
     * The steps in an order that runs every step after the steps it needs; among steps ready at the same time the
     * one declared first comes first, so the order is stable.
     */
    public List<Step> order() {
        return dag().order().stream().map(this::step).toList();
    }

    /** The ids of every step {@code stepId} needs, directly or through others, in declaration order. */
    public Set<String> upstream(String stepId) {
        step(stepId);
        return dag().upstream(stepId);
    }

    /** The ids of every step that needs {@code stepId}, directly or through others (skipped when it is skipped). */
    public Set<String> downstream(String stepId) {
        step(stepId);
        return dag().downstream(stepId);
    }

    /** The references of a step's {@code with} and {@code if}. */
    public List<Reference> references(String stepId) {
        return step(stepId).references();
    }

    /** The triggers of one kind, e.g. {@code triggers(Trigger.Schedule.class)}. */
    public <T extends Trigger> List<T> triggers(Class<T> kind) {
        return triggers.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The steps that run user code ({@code command}), which the engine refuses unless commands are allowed. */
    public List<Step> userCodeSteps() {
        return steps.stream().filter(Step::userCode).toList();
    }

    private Dag dag() {
        Map<String, List<String>> needs = new LinkedHashMap<>();
        for (Step s : steps) needs.put(s.id(), s.needs());
        return new Dag(needs);
    }
}
