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
    /** An alias became protected: it moves only with a second person's approval (subject: the alias). */
    ALIAS_PROTECTED,
    ALIAS_UNPROTECTED,
    /** Someone asked that a protected alias move (comment: the request id and why). */
    ALIAS_CHANGE_REQUESTED,
    /** A second person approved the request; the ALIAS_SET that follows names the approver. */
    ALIAS_CHANGE_APPROVED,
    ALIAS_CHANGE_REJECTED,
    DEPLOYMENT_CHANGED,
    ROLLBACK,
    /** A monitoring alert rule started firing (subject: deployment/rule). */
    ALERT_FIRING,
    /** A firing monitoring alert resolved. */
    ALERT_RESOLVED
}
