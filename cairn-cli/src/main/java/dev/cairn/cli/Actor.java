package dev.cairn.cli;

/** Who the audit log names for changes made from the command line. */
public final class Actor {
    private Actor() {}

    public static String current() {
        String user = System.getenv("CAIRN_USER");
        if (user == null || user.isBlank()) user = System.getProperty("user.name", "unknown");
        return user;
    }
}
