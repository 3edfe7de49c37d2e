package dev.cairn.pipeline.spec;

import static dev.cairn.pipeline.spec.ValueKind.BOOLEAN;
import static dev.cairn.pipeline.spec.ValueKind.DURATION;
import static dev.cairn.pipeline.spec.ValueKind.INTEGER;
import static dev.cairn.pipeline.spec.ValueKind.LIST;
import static dev.cairn.pipeline.spec.ValueKind.MAP;
import static dev.cairn.pipeline.spec.ValueKind.NUMBER;
import static dev.cairn.pipeline.spec.ValueKind.TEXT;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The closed set of step types: for each, the {@code with} keys it takes (required or optional, their kind and,
 * for some, their allowed values) and the outputs it declares for later steps ({@code ${steps.ID.outputs.NAME}}).
 * The keys follow the CLI's options of the same command ({@code --positive-class} is {@code positive_class}).
 * Parsing checks them; the engine implements them.
 */
public enum StepType {
    READ("Reads a file (CSV, Parquet, JSON lines) or a JDBC table or query, and snapshots it content-addressed "
            + "(Parquet) so later steps and reproductions read the same data.", Caching.NEVER,
            List.of(required("source", TEXT, "a file path or a JDBC URL"),
                    optional("query", TEXT, "JDBC: the SELECT to read"),
                    optional("table", TEXT, "JDBC: the table to read (instead of a query)"),
                    choice("format", "the file format when the extension does not say", "csv", "parquet", "jsonl"),
                    optional("delimiter", TEXT, "CSV: the field delimiter (detected when not given)"),
                    optional("user", TEXT, "JDBC: the user name"),
                    optional("password_env", TEXT, "JDBC: the environment variable holding the password"),
                    optional("fingerprint", TEXT, "JDBC: a cheap query whose result changes when the data does, for "
                            + "data triggers, e.g. SELECT count(*), max(sold_at) FROM sales (default: the data's hash)")),
            List.of(output("table", TEXT, "the snapshot, readable as the data of later steps"),
                    output("rows", INTEGER, "the number of rows read"),
                    output("sha256", TEXT, "the snapshot's content hash"),
                    output("fingerprint", TEXT, "the source's fingerprint at reading time"))),
    VALIDATE("Validates data against a schema and its checks; error-severity failures fail the step (and so the "
            + "pipeline) unless fail_on says otherwise.", Caching.ON,
            List.of(required("data", TEXT, "the data (usually ${steps.read.outputs.table})"),
                    required("schema", TEXT, "the schema and checks YAML"),
                    optional("env", TEXT, "the environment of the data, e.g. TRAINING or SERVING"),
                    choice("fail_on", "which failed checks fail the step (default error)", "error", "warning", "never"),
                    engine(), sparkMaster()),
            List.of(output("passed", BOOLEAN, "whether no error-severity check failed"),
                    output("errors", INTEGER, "failed error-severity checks"),
                    output("warnings", INTEGER, "failed warning-severity checks"),
                    output("report", TEXT, "the validation report (JSON) artifact"))),
    PROFILE("Profiles data: per-column statistics and sketches, the reference for drift.", Caching.ON,
            List.of(required("data", TEXT, "the data to profile"), engine(), sparkMaster()),
            List.of(output("profile", TEXT, "the profile (JSON) artifact"),
                    output("report", TEXT, "the HTML report artifact"))),
    DRIFT("Compares current data with a reference (data or a profile) column by column.", Caching.ON,
            List.of(required("reference", TEXT, "the reference data or profile"),
                    required("current", TEXT, "the current data or profile"),
                    optional("p_value", NUMBER, "drift when a test's p-value is below this (default 0.05)"),
                    optional("distance", NUMBER, "drift when a distance is at least this (default 0.1)"),
                    optional("share", NUMBER, "dataset drift when at least this share of columns drift (default 0.5)"),
                    optional("bins", INTEGER, "bins for PSI and Jensen-Shannon of numbers (default 30)"),
                    optional("tests", MAP, "a test per column, e.g. {age: ks}"),
                    optional("fail_on_drift", BOOLEAN, "fail the step when the dataset drifts (default false)")),
            List.of(output("drifted", BOOLEAN, "whether the dataset drifted"),
                    output("drift_share", NUMBER, "the share of columns that drifted"),
                    output("drifted_columns", LIST, "the columns that drifted"),
                    output("report", TEXT, "the drift report artifact"))),
    TRAIN("Trains a model into a tracked run, its package stored as the run's artifact: on data, or on a point-in-time "
            + "training set of a feature service built for the entity rows.", Caching.ON,
            List.of(optional("data", TEXT, "the training data (or feature_service and entities)"),
                    optional("feature_service", TEXT, "train on this feature service's point-in-time training set instead of data"),
                    optional("entities", TEXT, "with feature_service: the entity rows (join keys, time, label), a file or a snapshot"),
                    optional("timestamp_column", TEXT, "with feature_service: the entity rows' time column (default event_timestamp)"),
                    required("label", TEXT, "the column to predict"),
                    choice("algorithm", "the learner (default xgboost)", "xgboost", "logistic_regression",
                            "linear_regression", "baseline"),
                    optional("params", MAP, "algorithm parameters, e.g. {max_depth: 4}"),
                    optional("drop", LIST, "columns that are not features, e.g. ids"),
                    choice("task", "the task (default: inferred from the label)", "binary", "multiclass", "regression"),
                    optional("positive_class", TEXT, "the positive class of a binary label"),
                    optional("time_column", TEXT, "the time column of a time split"),
                    optional("schema", TEXT, "a reviewed data schema: the model's signature"),
                    choice("split", "how validation rows are chosen (default auto)", "auto", "stratified", "random", "time"),
                    optional("validation_fraction", NUMBER, "share of rows for validation (default 0.2)"),
                    optional("seed", INTEGER, "the random seed"),
                    optional("experiment", TEXT, "the experiment of the training run"),
                    choice("unseen_categories", "whether the model refuses unseen categories", "refuse", "unknown"),
                    choice("out_of_range", "whether the model refuses out-of-range numbers", "refuse", "warn")),
            List.of(output("model", TEXT, "the model, runs:/<run-id>/model"),
                    output("run_id", TEXT, "the training run"),
                    output("training_set", TEXT, "with feature_service: the training set's snapshot (empty otherwise)"))),
    TUNE("Tunes hyperparameters over a search space (every trial a child run) and retrains the best: on data, or on a "
            + "point-in-time training set of a feature service built for the entity rows.", Caching.ON,
            List.of(optional("data", TEXT, "the training data (or feature_service and entities)"),
                    optional("feature_service", TEXT, "tune on this feature service's point-in-time training set instead of data"),
                    optional("entities", TEXT, "with feature_service: the entity rows (join keys, time, label), a file or a snapshot"),
                    optional("timestamp_column", TEXT, "with feature_service: the entity rows' time column (default event_timestamp)"),
                    required("label", TEXT, "the column to predict"),
                    required("space", TEXT, "the search space YAML"),
                    optional("drop", LIST, "columns that are not features"),
                    choice("task", "the task (default: inferred from the label)", "binary", "multiclass", "regression"),
                    optional("positive_class", TEXT, "the positive class of a binary label"),
                    optional("time_column", TEXT, "the time column of a time split"),
                    optional("schema", TEXT, "a reviewed data schema: the model's signature"),
                    choice("split", "how held-out rows are chosen (default auto)", "auto", "stratified", "random", "time"),
                    optional("test_fraction", NUMBER, "share of rows held out (default 0.2)"),
                    optional("parallelism", INTEGER, "trials at once"),
                    optional("seed", INTEGER, "the random seed"),
                    optional("experiment", TEXT, "the experiment of the tuning run")),
            List.of(output("model", TEXT, "the tuned model, runs:/<run-id>/model"),
                    output("run_id", TEXT, "the tuning run"),
                    output("best_score", NUMBER, "the best trial's score"),
                    output("training_set", TEXT, "with feature_service: the training set's snapshot (empty otherwise)"))),
    EVALUATE("Evaluates a candidate on labelled data and compares it with the champion: the verdict (blessed or "
            + "not) gates what follows. Its cache key includes the version the compared alias points at.", Caching.ON,
            List.of(required("model", TEXT, "the candidate: runs:/..., models:/... or a package"),
                    optional("data", TEXT, "labelled evaluation data (or feature_service and entities)"),
                    optional("feature_service", TEXT, "evaluate on this feature service's point-in-time set instead of data"),
                    optional("entities", TEXT, "with feature_service: the entity rows (join keys, time, label), a file or a snapshot"),
                    optional("timestamp_column", TEXT, "with feature_service: the entity rows' time column (default event_timestamp)"),
                    required("label", TEXT, "the label column"),
                    optional("positive_class", TEXT, "the class the business question is about"),
                    optional("business_metric", TEXT, "the headline metric, e.g. precision"),
                    optional("threshold_target", TEXT, "choose the decision threshold, e.g. recall@precision>=0.6"),
                    optional("against", TEXT, "the alias compared with (default champion)"),
                    optional("registered_model", TEXT, "the registered model whose alias is compared with"),
                    optional("thresholds", LIST, "verdict thresholds, e.g. [roc_auc>=0.75, change:precision>=-0.01]"),
                    optional("slices", LIST, "columns to slice metrics by"),
                    optional("sensitive", LIST, "sensitive columns for the fairness report"),
                    optional("seed", INTEGER, "the seed of the bootstrap (default 42)"),
                    optional("min_group_size", INTEGER, "smaller sensitive groups are left out (default 30)")),
            List.of(output("blessed", BOOLEAN, "whether the candidate passed every threshold"),
                    output("has_champion", BOOLEAN, "whether there was a champion to compare with"),
                    output("champion", TEXT, "the compared champion's model URI (empty when none)"),
                    output("metric", NUMBER, "the business metric's value"),
                    output("threshold", NUMBER, "the chosen decision threshold"),
                    output("run_id", TEXT, "the evaluation run"),
                    output("report", TEXT, "the HTML report artifact"),
                    output("evaluation_set", TEXT, "with feature_service: the evaluation set's snapshot (empty otherwise)"))),
    REGISTER("Registers a model as a new version of a registered model, optionally pointing an alias at it.",
            Caching.NEVER,
            List.of(required("model", TEXT, "the model, e.g. ${steps.tune.outputs.model}"),
                    required("name", TEXT, "the registered model (created if missing)"),
                    optional("alias", TEXT, "an alias to point at the new version"),
                    optional("description", TEXT, "the version's description"),
                    optional("tags", MAP, "tags of the version")),
            List.of(output("version", INTEGER, "the new version"),
                    output("uri", TEXT, "models:/<name>/<version>"))),
    DEPLOY("Deploys a model to a named environment (e.g. staging, then production) under a deployment name.",
            Caching.NEVER,
            List.of(required("model", TEXT, "the model URI"),
                    required("environment", TEXT, "the environment, e.g. staging or production"),
                    optional("deployment", TEXT, "the deployment's name (default: the registered model's name)"),
                    optional("sticky_key", TEXT, "a request field (e.g. customer_id) by whose value a canary's share is "
                            + "chosen, so one customer always meets the same version (default: the deployment's, else at "
                            + "random by weight)"),
                    optional("feature_service", TEXT, "complete requests with this feature service's features from the "
                            + "server's online store: requests carry entity ids (default: the deployment's, else none)")),
            List.of(output("deployment", TEXT, "the deployment's name"),
                    output("model", TEXT, "the deployed model URI"))),
    CANARY("Sends a share of a deployment's traffic to a candidate, weight by weight, each for a window of live "
            + "metrics; promotes it when every gate holds, else rolls back.", Caching.NEVER,
            List.of(required("deployment", TEXT, "the deployment"),
                    required("model", TEXT, "the candidate model URI"),
                    optional("weights", LIST, "the candidate's traffic shares in turn (default [0.1])"),
                    optional("window", DURATION, "how long each weight is watched (default 1h)"),
                    optional("min_requests", INTEGER, "requests a window needs before it is judged"),
                    optional("max_error_rate", NUMBER, "roll back above this share of failed requests"),
                    optional("max_latency_ms", NUMBER, "roll back above this p95 latency"),
                    optional("min_precision", NUMBER, "roll back below this precision once labels exist")),
            List.of(output("promoted", BOOLEAN, "whether the candidate was promoted"),
                    output("verdict", TEXT, "promoted or rolled_back"),
                    output("reason", TEXT, "why, naming the gate that failed"))),
    PROMOTE("Points a registered model's alias (e.g. champion) at a version; audited.", Caching.NEVER,
            List.of(required("model", TEXT, "the model URI, e.g. ${steps.register.outputs.uri}"),
                    required("alias", TEXT, "the alias, e.g. champion"),
                    optional("reason", TEXT, "why, for the audit log")),
            List.of(output("version", INTEGER, "the version the alias now points at"),
                    output("previous", TEXT, "the model URI it pointed at before (empty when none)"))),
    SCORE("Scores data in batch with a model into a file or a table (e.g. customer_scores).", Caching.NEVER,
            List.of(required("model", TEXT, "models:/name@alias, models:/name/version or runs:/..."),
                    required("input", TEXT, "the data to score: a file, a snapshot or a JDBC URL"),
                    required("output", TEXT, "a file or a JDBC URL"),
                    optional("input_table", TEXT, "JDBC input: the table"),
                    optional("query", TEXT, "JDBC input: the SELECT to score"),
                    optional("table", TEXT, "JDBC output: the table (default scores)"),
                    optional("id", TEXT, "the input column copied as the row id"),
                    optional("batch_rows", INTEGER, "rows per prediction batch"),
                    optional("deployment", TEXT, "log the scored rows to this deployment's prediction log"),
                    optional("prediction_time", TEXT, "when the batch is for (default ${run.time})"),
                    engine(), sparkMaster()),
            List.of(output("rows", INTEGER, "rows scored"),
                    output("table", TEXT, "where the scores are"),
                    output("model", TEXT, "the model version that scored, models:/name/version"))),
    MATERIALIZE("Writes each entity's latest feature values (as of the run's time) into an online store, incrementally by "
            + "event-time watermark, for serving to read.", Caching.NEVER,
            List.of(required("online", TEXT, "the online store: sqlite:FILE (relative to the spec) or redis://HOST:PORT"),
                    optional("view", TEXT, "one feature view (default: every view)"),
                    optional("as_of", TEXT, "the time the values are as of (default ${run.time})"),
                    optional("full", BOOLEAN, "rewrite the views whole instead of incrementally (default false)")),
            List.of(output("views", INTEGER, "the views materialized"),
                    output("entities", INTEGER, "the entity records written"),
                    output("as_of", TEXT, "the time the values are as of"))),
    NOTIFY("Sends a message to a webhook (or only the run's log).", Caching.NEVER,
            List.of(required("message", TEXT, "the message, with ${...} as needed"),
                    optional("webhook", TEXT, "the URL to POST the message to"),
                    choice("level", "the message's level (default info)", "info", "warning", "error")),
            List.of()),
    COMMAND("Runs user code: a program and its arguments, no shell. Refused by the engine unless the server "
            + "allows commands. Its outputs are the names listed in with.outputs, which it writes as name=value "
            + "lines to the file $CAIRN_OUTPUTS names.", Caching.OFF,
            List.of(required("run", LIST, "the program and its arguments, e.g. [python, prepare.py, --fast]"),
                    optional("workdir", TEXT, "the working directory (default: the spec's directory)"),
                    optional("env", MAP, "environment variables"),
                    optional("outputs", LIST, "the names of the outputs the command writes")),
            List.of(output("exit_code", INTEGER, "the program's exit code")));

    /** Whether a step of a type may reuse an earlier run's outputs when its inputs are unchanged. */
    public enum Caching {
        /** Cached unless the step says {@code cache: false}. */
        ON,
        /** Not cached unless the step says {@code cache: true} (user code may read what its inputs do not name). */
        OFF,
        /** Never cached: the step reads a mutable source or changes the world (registry, deployments, tables). */
        NEVER
    }

    /** A {@code with} key: its kind, whether required, its allowed values (empty: any) and what it is. */
    public record Input(String key, ValueKind kind, boolean required, List<String> choices, String description) {
        public Input {
            choices = List.copyOf(choices);
        }
    }

    /** An output a later step may use as {@code ${steps.ID.outputs.NAME}}. */
    public record Output(String name, ValueKind kind, String description) {}

    private final String description;
    private final Caching caching;
    private final List<Input> inputs;
    private final List<Output> outputs;

    StepType(String description, Caching caching, List<Input> inputs, List<Output> outputs) {
        this.description = description;
        this.caching = caching;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** The name in a spec: {@code read}, {@code validate}, ... */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    public Caching caching() {
        return caching;
    }

    public List<Input> inputs() {
        return inputs;
    }

    public List<Output> outputs() {
        return outputs;
    }

    /** The input named {@code key}, or null. */
    public Input input(String key) {
        for (Input i : inputs) if (i.key().equals(key)) return i;
        return null;
    }

    /** The output named {@code name} among those the type declares, or null (see {@link Step#outputs()}). */
    public Output output(String name) {
        for (Output o : outputs) if (o.name().equals(name)) return o;
        return null;
    }

    public List<String> keys() {
        return inputs.stream().map(Input::key).toList();
    }

    /** Runs user code: the engine refuses it unless the server is configured to allow commands. */
    public boolean userCode() {
        return this == COMMAND;
    }

    /** The type a spec names, case-insensitively, or null. */
    public static StepType fromLabel(String label) {
        if (label == null) return null;
        for (StepType t : values()) if (t.label().equalsIgnoreCase(label.strip())) return t;
        return null;
    }

    /** "read, validate, profile, ...", for messages. */
    public static String labels() {
        return Arrays.stream(values()).map(StepType::label).collect(Collectors.joining(", "));
    }

    private static Input required(String key, ValueKind kind, String description) {
        return new Input(key, kind, true, List.of(), description);
    }

    private static Input optional(String key, ValueKind kind, String description) {
        return new Input(key, kind, false, List.of(), description);
    }

    private static Input choice(String key, String description, String... choices) {
        return new Input(key, TEXT, false, List.of(choices), description);
    }

    /** Where a data step runs: the same checks and profiles on the embedded DuckDB or on Spark (see docs/spark.md). */
    private static Input engine() {
        return choice("engine", "where the step runs: duckdb (default, embedded) or spark (needs Spark's jars, see docs/spark.md)",
                "duckdb", "spark");
    }

    private static Input sparkMaster() {
        return optional("spark_master", TEXT, "with engine spark: local[2], spark://host:7077, yarn... (default local[*])");
    }

    private static Output output(String name, ValueKind kind, String description) {
        return new Output(Objects.requireNonNull(name), kind, description);
    }
}
