package dev.cairn.cli;

/** Entry point of the {@code cairn} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("cairn 0.1.0-SNAPSHOT");
    }
}
