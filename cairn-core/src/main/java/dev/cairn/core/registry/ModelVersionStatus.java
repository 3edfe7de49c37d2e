package dev.cairn.core.registry;

/** MLflow's model version statuses. */
public enum ModelVersionStatus {
    PENDING_REGISTRATION, FAILED_REGISTRATION, READY
}
