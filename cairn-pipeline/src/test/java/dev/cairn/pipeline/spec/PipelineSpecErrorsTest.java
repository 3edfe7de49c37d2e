package dev.cairn.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad specs: every problem is reported, each with its line and path, all of them at once. */
class PipelineSpecErrorsTest {

    /** A problem as {@code details.errors} holds it. */
    record Problem(int line, String path, String message) {}

    private static CairnException refuse(String yaml) {
        CairnException e = catchThrowableOfType(CairnException.class, () -> PipelineSpec.parse(yaml, "bad.yaml"));
        assertThat(e).as("the spec should be refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.details()).containsEntry("source", "bad.yaml");
        return e;
    }

    @SuppressWarnings("unchecked")
    private static List<Problem> problems(String yaml) {
        CairnException e = refuse(yaml);
        List<Map<String, Object>> errors = (List<Map<String, Object>>) e.details().get("errors");
        List<Problem> problems = errors.stream()
                .map(m -> new Problem((Integer) m.get("line"), (String) m.get("path"), (String) m.get("message")))
                .toList();
        // The message is the same problems, one per line, in the same order.
        assertThat(e.getMessage().lines().toList()).hasSize(problems.size());
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            assertThat(e.getMessage().lines().toList().get(i))
                    .isEqualTo("bad.yaml line " + p.line() + (p.path().isEmpty() ? "" : ", " + p.path()) + ": " + p.message());
        }
        return problems;
    }

    /** The one problem of a spec with one. */
    private static Problem only(String yaml) {
        List<Problem> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.getFirst();
    }

    private static void assertProblem(Problem p, int line, String path, String message) {
        assertThat(p.line()).as("line of " + p).isEqualTo(line);
        assertThat(p.path()).as("path of " + p).isEqualTo(path);
        assertThat(p.message()).as("message of " + p).contains(message);
    }

    @Test
    void theIssuesExampleReadsAsWritten() {
        String yaml = """
                name: retrain
                parameters:
                  data: jdbc:sqlite:master.db
                steps:
                  - id: read
                    type: read
                    with: {source: "${params.data}"}
                  - id: validate
                    type: validate
                    needs: [read]
                    with: {data: "${steps.read.outputs.table}", schema: schema.yaml}
                  - id: train
                    type: train
                    needs: [validate, tune2]
                    with: {data: "${steps.read.outputs.table}", label: class}
                """;
        CairnException e = catchThrowableOfType(CairnException.class, () -> PipelineSpec.parse(yaml, "pipeline.yaml"));
        assertThat(e.getMessage())
                .isEqualTo("pipeline.yaml line 14, steps.train.needs: unknown step 'tune2' (steps are: read, validate, train)");
        assertThat(e.details()).containsEntry("source", "pipeline.yaml").containsEntry("field", "pipeline");
    }

    @Test
    void cyclesAreNamed() {
        List<Problem> problems = problems("""
                name: loop
                steps:
                  - id: a
                    type: notify
                    needs: [c]
                    with: {message: a}
                  - id: b
                    type: notify
                    needs: [a]
                    with: {message: b}
                  - id: c
                    type: notify
                    needs: [b]
                    with: {message: c}
                  - id: self
                    type: notify
                    needs: [self]
                    with: {message: s}
                """);
        assertThat(problems).hasSize(2);
        assertProblem(problems.get(0), 5, "steps.a.needs", "steps form a cycle: a -> c -> b -> a (each needs the next)");
        assertProblem(problems.get(1), 17, "steps.self.needs", "step 'self' needs itself");
    }

    @Test
    void twoStepsNeedingEachOtherAreOneCycle() {
        assertProblem(only("""
                name: loop
                steps:
                  - {id: x, type: notify, with: {message: x}}
                  - {id: a, type: notify, needs: [x, b], with: {message: a}}
                  - {id: b, type: notify, needs: a, with: {message: b}}
                """), 4, "steps.a.needs", "steps form a cycle: a -> b -> a");
    }

    @Test
    void separateCyclesAreReportedSeparatelyAndTheirDependentsNotAtAll() {
        List<Problem> problems = problems("""
                name: loops
                steps:
                  - {id: a, type: notify, needs: b, with: {message: x}}
                  - {id: b, type: notify, needs: a, with: {message: x}}
                  - {id: c, type: notify, needs: [a, d], with: {message: x}}
                  - {id: d, type: notify, needs: e, with: {message: x}}
                  - {id: e, type: notify, needs: [f], with: {message: x}}
                  - {id: f, type: notify, needs: [d], with: {message: x}}
                """);
        assertThat(problems).hasSize(2);
        assertProblem(problems.get(0), 3, "steps.a.needs", "steps form a cycle: a -> b -> a");
        assertProblem(problems.get(1), 6, "steps.d.needs", "steps form a cycle: d -> e -> f -> d");
    }

    @Test
    void unknownStepTypesListTheKnownOnes() {
        List<Problem> problems = problems("""
                name: typo
                steps:
                  - id: read
                    type: read
                    with: {source: data.csv}
                  - id: train
                    type: trian
                    needs: [read]
                    with: {data: "${steps.read.outputs.table}", label: class}
                  - id: tell
                    type: notify
                    needs: [train]
                    with: {message: "${steps.train.outputs.model}"}
                """);
        // The steps that need the mistyped one are not reported as well.
        assertThat(problems).hasSize(1);
        assertProblem(problems.getFirst(), 7, "steps.train.type", "unknown step type 'trian' (types are: read, validate, "
                + "profile, drift, train, tune, evaluate, register, deploy, canary, promote, score, materialize, notify, command)");
        assertProblem(only("""
                name: missing-type
                steps:
                  - id: read
                    with: {source: data.csv}
                """), 3, "steps.read", "missing key 'type'");
    }

    @Test
    void anEvaluateStepReadsDataOrAFeatureServicesSetAsTrainDoes() {
        List<Problem> problems = problems("""
                name: features
                steps:
                  - id: neither
                    type: evaluate
                    with: {model: m, label: y}
                  - id: no-entities
                    type: evaluate
                    with: {model: m, feature_service: churn, label: y}
                  - id: fine
                    type: evaluate
                    with: {model: m, feature_service: churn, entities: labels.csv, timestamp_column: t, label: y}
                """);
        assertThat(problems).hasSize(2);
        assertProblem(problems.get(0), 5, "steps.neither.with", "missing required key 'data' for an evaluate step (or 'feature_service' "
                + "with 'entities'");
        assertProblem(problems.get(1), 8, "steps.no-entities.with", "missing key 'entities' for 'feature_service'");
    }

    @Test
    void aTrainOrTuneStepReadsDataOrAFeatureServicesTrainingSetNotBothNorNeither() {
        List<Problem> problems = problems("""
                name: features
                steps:
                  - id: both
                    type: train
                    with: {data: data.csv, feature_service: churn, entities: labels.csv, label: y}
                  - id: neither
                    type: tune
                    with: {label: y, space: space.yaml}
                  - id: no-entities
                    type: train
                    with: {feature_service: churn, label: y}
                  - id: no-service
                    type: train
                    with: {data: data.csv, entities: labels.csv, label: y}
                """);
        assertThat(problems).hasSize(4);
        assertProblem(problems.get(0), 5, "steps.both.with", "give 'data' or 'feature_service' (with 'entities'), not both");
        assertProblem(problems.get(1), 8, "steps.neither.with", "missing required key 'data' for a tune step (or 'feature_service' "
                + "with 'entities'");
        assertProblem(problems.get(2), 11, "steps.no-entities.with", "missing key 'entities' for 'feature_service'");
        assertProblem(problems.get(3), 14, "steps.no-service.with.entities", "give 'feature_service' too");
    }

    @Test
    void missingRequiredInputsNameTheRequiredOnes() {
        List<Problem> problems = problems("""
                name: inputs
                steps:
                  - id: read
                    type: read
                  - id: train
                    type: train
                    needs: read
                    with:
                      data: ${steps.read.outputs.table}
                      label:
                """);
        assertThat(problems).hasSize(2);
        assertProblem(problems.get(0), 3, "steps.read.with", "missing required key 'source' for a read step (required: source)");
        assertProblem(problems.get(1), 10, "steps.train.with", "missing required key 'label' for a train step (required: label)");
    }

    @Test
    void referencesMustNameDeclaredParametersAndUpstreamOutputs() {
        List<Problem> problems = problems("""
                name: refs
                parameters: {data: data.csv, label: class}
                steps:
                  - id: read
                    type: read
                    with: {source: "${params.dta}"}
                  - id: other
                    type: read
                    with: {source: other.csv}
                  - id: train
                    type: train
                    needs: [read]
                    with:
                      data: ${steps.read.outputs.tabel}
                      label: ${params.label}
                      schema: ${steps.other.outputs.table}
                      experiment: ${steps.tune2.outputs.model}
                      time_column: ${steps.train.outputs.model}
                      positive_class: ${run.night}
                      split: ${steps.read.output.table}
                  - id: tell
                    type: notify
                    needs: [train]
                    if: ${steps.train.outputs.blessed}
                    with: {message: "done"}
                """);
        assertThat(problems).hasSize(8);
        assertProblem(problems.get(0), 6, "steps.read.with.source", "unknown parameter 'dta' in ${params.dta} (parameters are: data, label)");
        assertProblem(problems.get(1), 14, "steps.train.with.data",
                "step 'read' (a read step) has no output 'tabel' (its outputs are: table, rows, sha256, fingerprint)");
        assertProblem(problems.get(2), 16, "steps.train.with.schema",
                "${steps.other.outputs.table} uses step 'other', which is not upstream of 'train' (add 'other' to its needs)");
        assertProblem(problems.get(3), 17, "steps.train.with.experiment",
                "unknown step 'tune2' in ${steps.tune2.outputs.model} (steps are: read, other, train, tell)");
        assertProblem(problems.get(4), 18, "steps.train.with.time_column", "a step cannot use its own outputs");
        assertProblem(problems.get(5), 19, "steps.train.with.positive_class",
                "unknown run variable 'night' in ${run.night} (known: id, time, date, trigger, pipeline)");
        assertProblem(problems.get(6), 20, "steps.train.with.split", "${steps.read.output.table} is not a reference: expected "
                + "${params.NAME}, ${steps.STEP.outputs.NAME} or ${run.NAME} (a step's value is ${steps.STEP.outputs.NAME})");
        assertProblem(problems.get(7), 24, "steps.tell.if", "step 'train' (a train step) has no output 'blessed' (its outputs are: model, run_id, training_set)");
    }

    @Test
    void aReferenceThroughSeveralStepsIsUpstreamAndADownstreamOneIsNot() {
        assertProblem(only("""
                name: far
                steps:
                  - {id: read, type: read, with: {source: a.csv}}
                  - {id: validate, type: validate, needs: read, with: {data: "${steps.read.outputs.table}", schema: s.yaml}}
                  - {id: profile, type: profile, needs: validate, with: {data: "${steps.read.outputs.table}"}}
                  - {id: early, type: notify, needs: read, with: {message: "${steps.profile.outputs.report}"}}
                """), 6, "steps.early.with.message", "uses step 'profile', which is not upstream of 'early'");
    }

    @Test
    void badCronAndTimeZoneAndCatchUp() {
        List<Problem> problems = problems("""
                name: sched
                triggers:
                  - schedule: {cron: "0 25 * * *", timezone: Europe/Berlin}
                  - schedule:
                      cron: "0 2 * * *"
                      timezone: Europe/Berln
                      catch_up: some
                  - schedule: {timezone: UTC}
                  - schedule: "0 2 * *"
                steps:
                  - {id: a, type: notify, with: {message: x}}
                """);
        assertThat(problems).hasSize(5);
        assertProblem(problems.get(0), 3, "triggers[0].schedule.cron", "cron field 'hour': 25 is outside 0-23 (in '0 25 * * *')");
        assertProblem(problems.get(1), 6, "triggers[1].schedule.timezone",
                "unknown time zone 'Europe/Berln': expected a time zone such as Europe/Berlin");
        assertProblem(problems.get(2), 7, "triggers[1].schedule.catch_up", "'some' is not one of: latest, all, none");
        assertProblem(problems.get(3), 8, "triggers[2].schedule.cron", "missing key 'cron'");
        assertProblem(problems.get(4), 9, "triggers[3].schedule", "'0 2 * *' has 4 fields");
    }

    @Test
    void badTriggerShapes() {
        List<Problem> problems = problems("""
                name: triggers
                triggers:
                  - nightly
                  - schedule: "@daily"
                    data: read
                  - cron: "0 2 * * *"
                  - data: {source: tell}
                  - data: {source: nope, poll: 0s}
                  - alert: {rules: [input-drift]}
                  - manual: {when: now}
                  - data: {source: mine}
                steps:
                  - {id: read, type: read, with: {source: a.csv}}
                  - {id: mine, type: read, needs: read, with: {source: "${steps.read.outputs.table}"}}
                  - {id: tell, type: notify, with: {message: x}}
                """);
        assertThat(problems).hasSize(9);
        assertProblem(problems.get(0), 3, "triggers[0]", "a trigger is a mapping with one key, its kind: schedule, data, alert, manual");
        assertProblem(problems.get(1), 4, "triggers[1]", "found keys [schedule, data]");
        assertProblem(problems.get(2), 6, "triggers[2].cron", "unknown trigger kind 'cron' (kinds are: schedule, data, alert, manual)");
        assertProblem(problems.get(3), 7, "triggers[3].data.source", "step 'tell' is a notify step; a data trigger watches a "
                + "read step's source (read steps: read, mine)");
        assertProblem(problems.get(4), 8, "triggers[4].data.source", "unknown step 'nope' (read steps: read, mine)");
        assertProblem(problems.get(5), 8, "triggers[4].data.poll", "the poll interval must be longer than zero");
        assertProblem(problems.get(6), 9, "triggers[5].alert.deployment", "missing key 'deployment'");
        assertProblem(problems.get(7), 10, "triggers[6].manual.when", "unknown key 'when' for a manual trigger");
        assertProblem(problems.get(8), 11, "triggers[7].data.source", "step 'mine' reads what another step outputs");
    }

    @Test
    void duplicateStepIdsPointAtTheFirst() {
        assertProblem(only("""
                name: dup
                steps:
                  - id: read
                    type: read
                    with: {source: a.csv}
                  - id: read
                    type: read
                    with: {source: b.csv}
                """), 6, "steps.read.id", "duplicate step id 'read' (first at line 3)");
    }

    @Test
    void unknownKeysListTheAllowedOnes() {
        List<Problem> problems = problems("""
                name: keys
                descripton: typo
                concurrency: {max_runs: 1, on-conflict: skip}
                steps:
                  - id: read
                    type: read
                    need: [x]
                    retry: {attempts: 2, wait: 10s}
                    with:
                      source: a.csv
                      qurey: SELECT 1
                """);
        assertThat(problems).hasSize(5);
        assertProblem(problems.get(0), 2, "descripton",
                "unknown key 'descripton' (allowed: name, description, parameters, triggers, concurrency, steps)");
        assertProblem(problems.get(1), 3, "concurrency.on-conflict",
                "unknown key 'on-conflict' (allowed: max_runs, on_conflict); did you mean 'on_conflict'?");
        assertProblem(problems.get(2), 7, "steps.read.need", "unknown key 'need' (allowed: id, type, description, needs, with, "
                + "if, retry, timeout, cache)");
        assertProblem(problems.get(3), 8, "steps.read.retry.wait", "unknown key 'wait' (allowed: attempts, backoff, factor, max_backoff)");
        assertProblem(problems.get(4), 11, "steps.read.with.qurey", "unknown key 'qurey' for a read step (allowed: source, query, "
                + "table, format, delimiter, user, password_env, fingerprint)");
    }

    @Test
    void badDurationsRetriesAndKinds() {
        List<Problem> problems = problems("""
                name: kinds
                concurrency: {max_runs: 0, on_conflict: wait}
                steps:
                  - id: read
                    type: read
                    timeout: 30 minutes
                    cache: true
                    retry: {attempts: 50, backoff: P1M, factor: 0.5}
                    with: {source: a.csv, format: xlsx}
                  - id: train
                    type: train
                    needs: read
                    timeout: PT0S
                    cache: maybe
                    with:
                      data: ${steps.read.outputs.table}
                      label: [class]
                      seed: "42"
                      validation_fraction: ${run.id}x
                      algorithm: random_forest
                      params: 4
                  - id: canary
                    type: canary
                    needs: train
                    with: {deployment: d, model: "${steps.train.outputs.model}", window: soon}
                """);
        assertThat(problems).extracting(Problem::line, Problem::path).containsExactly(
                tuple(2, "concurrency.max_runs"),
                tuple(2, "concurrency.on_conflict"),
                tuple(6, "steps.read.timeout"),
                tuple(7, "steps.read.cache"),
                tuple(8, "steps.read.retry.attempts"),
                tuple(8, "steps.read.retry.backoff"),
                tuple(8, "steps.read.retry.factor"),
                tuple(9, "steps.read.with.format"),
                tuple(13, "steps.train.timeout"),
                tuple(14, "steps.train.cache"),
                tuple(17, "steps.train.with.label"),
                tuple(18, "steps.train.with.seed"),
                tuple(19, "steps.train.with.validation_fraction"),
                tuple(20, "steps.train.with.algorithm"),
                tuple(21, "steps.train.with.params"),
                tuple(25, "steps.canary.with.window"));
        assertThat(problems.get(0).message()).isEqualTo("0 is outside 1-100");
        assertThat(problems.get(1).message()).isEqualTo("'wait' is not one of: queue, skip, cancel_running");
        assertThat(problems.get(2).message()).isEqualTo("expected a duration such as PT30M, P1D, 90s, 30m, 2h or 1h30m, found a text ('30 minutes')");
        assertThat(problems.get(3).message()).startsWith("a read step is never cached");
        assertThat(problems.get(4).message()).isEqualTo("50 is outside 1-20");
        assertThat(problems.get(5).message()).contains("found a text ('P1M')");
        assertThat(problems.get(6).message()).isEqualTo("expected a number from 1 to 10.0, found a number (0.5)");
        assertThat(problems.get(7).message()).isEqualTo("'xlsx' is not one of: csv, parquet, jsonl");
        assertThat(problems.get(8).message()).isEqualTo("a timeout must be longer than zero");
        assertThat(problems.get(9).message()).isEqualTo("expected true or false, found a text ('maybe')");
        assertThat(problems.get(10).message()).isEqualTo("expected a text, found a list");
        assertThat(problems.get(11).message()).isEqualTo("expected a whole number, found a text ('42')");
        assertThat(problems.get(12).message()).isEqualTo("expected a number, found a text mixing ${...} with other text");
        assertThat(problems.get(13).message()).isEqualTo("'random_forest' is not one of: xgboost, logistic_regression, "
                + "linear_regression, baseline");
        assertThat(problems.get(14).message()).isEqualTo("expected a mapping, found a number (4)");
        assertThat(problems.get(15).message()).contains("found a text ('soon')");
    }

    @Test
    void badConditions() {
        List<Problem> problems = problems("""
                name: conditions
                steps:
                  - {id: evaluate, type: evaluate, with: {model: m, data: d, label: class}}
                  - {id: a, type: notify, needs: evaluate, if: "${steps.evaluate.outputs.blessed} ==", with: {message: x}}
                  - {id: b, type: notify, needs: evaluate, if: "${steps.evaluate.outputs.verdict} == blessed", with: {message: x}}
                  - {id: c, type: notify, needs: evaluate, if: [x], with: {message: x}}
                  - {id: d, type: notify, if: "${steps.evaluate.outputs.blessed}", with: {message: x}}
                """);
        assertThat(problems).hasSize(4);
        assertProblem(problems.get(0), 4, "steps.a.if", "condition '${steps.evaluate.outputs.blessed} ==': expected a value at "
                + "position 37, found the end");
        assertProblem(problems.get(1), 5, "steps.b.if", "expected a value: ${...}, true, false, null, a number or a quoted "
                + "text (quote texts: 'blessed')");
        assertProblem(problems.get(2), 6, "steps.c.if", "expected a condition");
        assertProblem(problems.get(3), 7, "steps.d.if", "which is not upstream of 'd'");
    }

    @Test
    void namesIdsAndParameters() {
        List<Problem> problems = problems("""
                name: Retrain Pipeline
                parameters:
                  1st: x
                  base: ${params.other}
                  other: y
                steps:
                  - id: Read_It
                    type: read
                    with: {source: a.csv}
                  - type: notify
                    with: {message: no id}
                """);
        assertThat(problems).hasSize(5);
        assertProblem(problems.get(0), 1, "name", "'Retrain Pipeline' is not a valid name: lower-case letters, digits");
        assertProblem(problems.get(1), 3, "parameters.1st", "parameter name '1st' is not valid");
        assertProblem(problems.get(2), 4, "parameters.base", "parameter defaults cannot use ${...}");
        assertProblem(problems.get(3), 7, "steps[0].id", "step id 'Read_It' is not valid");
        assertProblem(problems.get(4), 10, "steps[1]", "missing key 'id'");
        assertProblem(only("name: runs\nsteps:\n  - {id: a, type: notify, with: {message: m}}\n"), 1, "name", "'runs' is reserved");
    }

    @Test
    void aSpecMustHaveANameAndSteps() {
        List<Problem> problems = problems("description: nothing\n");
        assertThat(problems).extracting(Problem::path).containsExactly("name", "steps");
        assertProblem(only("name: x\nsteps: []\n"), 2, "steps", "a pipeline needs at least one step");
        assertProblem(only("name: x\nsteps: {read: {type: read}}\n"), 2, "steps", "expected a list of steps");
        assertProblem(only("- a\n- b\n"), 1, "", "a pipeline spec is a mapping");
        assertProblem(only(""), 1, "", "the spec is empty");
        assertProblem(only("# only a comment\n"), 1, "", "the spec is empty");
    }

    @Test
    void yamlProblemsHaveLinesToo() {
        assertProblem(only("""
                name: broken
                steps:
                  - id: a
                    type: notify
                    with: {message: [unclosed}
                """), 5, "", "not valid YAML");
        assertProblem(only("""
                name: dup
                name: again
                steps: [{id: a, type: notify, with: {message: x}}]
                """), 2, "name", "duplicate key 'name' (first at line 1)");
        assertProblem(only("""
                name: alias
                steps:
                  - &base {id: a, type: notify, with: {message: x}}
                  - *base
                """), 4, "steps[1]", "YAML aliases (*base) are not supported");
        assertProblem(only("""
                name: two
                steps: [{id: a, type: notify, with: {message: x}}]
                ---
                name: three
                """), 4, "", "a second YAML document begins here");
    }

    @Test
    void everyProblemIsReportedAtOnceInTextOrder() {
        CairnException e = refuse("""
                name: many
                triggers:
                  - schedule: {cron: "61 * * * *"}
                steps:
                  - {id: b, type: notify, needs: [missing], with: {message: x}}
                  - {id: a, type: teleport}
                """);
        assertThat(e.getMessage()).isEqualTo("""
                bad.yaml line 3, triggers[0].schedule.cron: cron field 'minute': 61 is outside 0-59 (in '61 * * * *')
                bad.yaml line 5, steps.b.needs: unknown step 'missing' (steps are: b, a)
                bad.yaml line 6, steps.a.type: unknown step type 'teleport' (types are: read, validate, profile, drift, train, \
                tune, evaluate, register, deploy, canary, promote, score, materialize, notify, command)""");
        assertThat((List<?>) e.details().get("errors")).hasSize(3);
        assertThat(((List<?>) e.details().get("errors")).getFirst()).isEqualTo(Map.of("line", 3, "column", 22,
                "path", "triggers[0].schedule.cron", "message", "cron field 'minute': 61 is outside 0-59 (in '61 * * * *')"));
    }

    @Test
    void commandOutputsAreTheOnesItDeclares() {
        List<Problem> problems = problems("""
                name: code
                steps:
                  - id: prepare
                    type: command
                    with: {run: [make, features], outputs: [features, 2bad, exit_code]}
                  - id: tell
                    type: notify
                    needs: prepare
                    with: {message: "${steps.prepare.outputs.rows}"}
                """);
        assertThat(problems).hasSize(3);
        assertProblem(problems.get(0), 5, "steps.prepare.with.outputs", "output name '2bad' is not valid");
        assertProblem(problems.get(1), 5, "steps.prepare.with.outputs", "output 'exit_code' is declared twice");
        assertProblem(problems.get(2), 9, "steps.tell.with.message", "step 'prepare' (a command step) has no output 'rows' "
                + "(its outputs are: exit_code, features, 2bad)");
    }
}
