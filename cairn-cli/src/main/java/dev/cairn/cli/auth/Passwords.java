package dev.cairn.cli.auth;

import dev.cairn.core.error.CairnException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a new password without putting it on the command line: the first line of standard input with
 * {@code --password-stdin} (for scripts), else a prompt on the terminal, asked twice.
 */
final class Passwords {

    private Passwords() {}

    static String read(boolean fromStdin) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) throw CairnException.invalid("--password-stdin", "(empty)", "a password on the first line of standard input");
                return line;
            } catch (IOException e) {
                throw CairnException.invalid("--password-stdin", "(unreadable)", "a password on the first line of standard input");
            }
        }
        Console console = System.console();
        if (console == null) {
            throw CairnException.invalid("--password-stdin", "(not given)", "the password on standard input with --password-stdin "
                    + "(there is no terminal to ask on)");
        }
        char[] first = console.readPassword("New password: ");
        char[] again = console.readPassword("Again: ");
        if (first == null || again == null || !new String(first).equals(new String(again))) {
            throw CairnException.invalid("password", "(not shown)", "the same password twice");
        }
        return new String(first);
    }
}
