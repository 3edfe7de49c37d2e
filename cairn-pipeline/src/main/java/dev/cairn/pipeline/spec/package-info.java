/**
 * Pipeline specs: a YAML file declaring a DAG of typed steps, read by
 * {@link dev.cairn.pipeline.spec.PipelineSpec#parse} / {@link dev.cairn.pipeline.spec.PipelineSpec#read} into
 * immutable records, or into every problem it has, each naming its line and path ("retrain.yaml line 14,
 * steps.train.needs: unknown step 'tune2' (steps are: read, validate, train)").
 *
 * <h2>Shape</h2>
 * <pre>{@code
 * name: retrain                      # required; [a-z0-9][a-z0-9_-]*, at most 64 characters
 * description: Retrain on new data   # optional
 * parameters:                        # optional; name -> default (null: must be given when a run starts)
 *   data: jdbc:sqlite:master.db      #   used as ${params.data}; defaults are literal (no ${...} inside)
 *   positive_class: bad
 * triggers:                          # optional; a run can always be started by hand or by CI
 *   - schedule: {cron: "0 2 * * *", timezone: Europe/Berlin, catch_up: latest}  # timezone default UTC;
 *                                    #   catch_up latest (default) | all | none; `schedule: "0 2 * * *"` is short
 *   - data: {source: read, poll: 5m} # a read step whose source's fingerprint changed; poll default 5m
 *   - alert: {deployment: credit-risk, rules: [input-drift]}   # rules optional: any rule of the deployment
 *   - manual: {}
 * concurrency: {max_runs: 1, on_conflict: queue}   # default; on_conflict queue | skip | cancel_running
 * steps:                             # required, at least one, run in dependency order
 *   - id: read                       # required, unique; [a-z0-9][a-z0-9_-]*
 *     type: read                     # required; see StepType for every type's inputs and outputs
 *     description: ...               # optional
 *     with: {source: "${params.data}", query: "SELECT ..."}
 *   - id: evaluate
 *     type: evaluate
 *     needs: [tune, read]            # a list, or one id; steps that must succeed first
 *     with: {model: "${steps.tune.outputs.model}", data: "${steps.read.outputs.table}", label: class}
 *   - id: register
 *     type: register
 *     needs: [evaluate]
 *     if: "${steps.evaluate.outputs.blessed}"   # see Condition; a false condition skips the step and its dependents
 *     retry: {attempts: 3, backoff: PT10S, factor: 2, max_backoff: PT10M}   # or retry: 3
 *     timeout: PT30M                 # ISO-8601 (PT30M, P1D) or short (90s, 30m, 2h, 1h30m)
 *     cache: false                   # default per type (StepType.caching)
 *     with: {model: "${steps.tune.outputs.model}", name: credit-risk}
 * }</pre>
 *
 * <h2>References</h2>
 * {@code ${params.NAME}}, {@code ${steps.STEP.outputs.NAME}} (STEP must be upstream: in the transitive needs;
 * NAME must be an output its type declares) and {@code ${run.id|time|date|trigger|pipeline}}; {@code $${} is a
 * literal {@code ${}. A value that is exactly one reference takes the referenced value whole, with its type.
 *
 * <h2>What is checked</h2>
 * Unknown keys (naming the allowed ones), unknown step types (naming the known ones), duplicate step ids, needs
 * naming unknown steps, cycles ({@code a -> b -> a}), references to undeclared parameters, unknown or non-upstream
 * steps and undeclared outputs, missing required and wrongly typed {@code with} values, values outside an input's
 * choices, bad durations, conditions, retries, triggers, cron expressions and time zones, duplicate YAML keys,
 * YAML aliases and more than one document. All problems are reported together.
 */
package dev.cairn.pipeline.spec;
