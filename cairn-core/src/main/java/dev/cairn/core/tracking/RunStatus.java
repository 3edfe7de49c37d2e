package dev.cairn.core.tracking;

/** MLflow's run statuses. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
