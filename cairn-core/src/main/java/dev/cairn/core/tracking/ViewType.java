package dev.cairn.core.tracking;

/** Which lifecycle stages a listing includes (MLflow's ViewType). */
public enum ViewType {
    ACTIVE_ONLY, DELETED_ONLY, ALL
}
