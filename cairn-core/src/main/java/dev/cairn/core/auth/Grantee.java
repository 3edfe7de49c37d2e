package dev.cairn.core.auth;

/** Who a grant is for: one account, or every member of a group. */
public record Grantee(Kind kind, String name) {

    public enum Kind { USER, GROUP }

    public static Grantee user(String name) {
        return new Grantee(Kind.USER, name);
    }

    public static Grantee group(String name) {
        return new Grantee(Kind.GROUP, name);
    }
}
