package dev.cairn.core.registry;

/**
 * A requested change of a protected alias (four-eyes promotion): {@code requestedBy} asks that {@code alias} move
 * from {@code fromVersion} (null: the alias did not exist) to {@code version}; a second person with MANAGE on the
 * model approves or rejects it. Approval moves the alias only if it still points at {@code fromVersion}.
 */
public record AliasRequest(long id, String model, String alias, long version, Long fromVersion, String requestedBy,
                           long requestedAt, String comment, State state, String decidedBy, Long decidedAt,
                           String decisionComment) {

    public enum State { PENDING, APPROVED, REJECTED }

    public boolean pending() {
        return state == State.PENDING;
    }
}
