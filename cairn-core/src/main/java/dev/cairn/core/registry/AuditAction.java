package dev.cairn.core.registry;

/** What an audit event records. */
public enum AuditAction {
    MODEL_CREATED,
    MODEL_RENAMED,
    MODEL_DELETED,
    VERSION_CREATED,
    VERSION_DELETED,
    STAGE_TRANSITIONED,
    ALIAS_SET,
    ALIAS_DELETED,
    PROMOTION_FORCED,
    DEPLOYMENT_CHANGED,
    ROLLBACK,
    /** A monitoring alert rule started firing (subject: deployment/rule). */
    ALERT_FIRING,
    /** A firing monitoring alert resolved. */
    ALERT_RESOLVED
}
