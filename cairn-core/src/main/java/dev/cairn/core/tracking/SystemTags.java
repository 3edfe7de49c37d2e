package dev.cairn.core.tracking;

/** Tag keys with a meaning, MLflow's where MLflow has one so that its clients and UI understand them. */
public final class SystemTags {
    public static final String RUN_NAME = "mlflow.runName";
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";
    public static final String USER = "mlflow.user";
    public static final String SOURCE_NAME = "mlflow.source.name";
    public static final String SOURCE_TYPE = "mlflow.source.type";
    public static final String GIT_COMMIT = "mlflow.source.git.commit";
    public static final String HOST = "cairn.host";
    public static final String JDK = "cairn.jdk";
    public static final String OS = "cairn.os";
    public static final String FAILURE_REASON = "cairn.failure.reason";
    public static final String DATASET_CONTEXT = "mlflow.data.context";

    private SystemTags() {}
}
