package dev.cairn.cli;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How the CLI reports failures: one line on stderr, exit code 2 for anything the user can fix
 * (bad arguments, bad input, unknown ids) and 1 for internal errors; never a stack trace unless
 * CAIRN_DEBUG is set.
 */
final class Errors {
    private Errors() {}

    static final class ExecutionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
            PrintWriter err = cli.getErr();
            if (System.getenv("CAIRN_DEBUG") != null) {
                e.printStackTrace(err);
            }
            if (e instanceof CairnException ce) {
                err.println("cairn: " + oneLine(ce.getMessage()));
                err.flush();
                return ce.code().exitCode();
            }
            err.println("cairn: internal error: " + oneLine(String.valueOf(e.getMessage())) + " (" + e.getClass().getSimpleName()
                    + "; set CAIRN_DEBUG=1 for the stack trace)");
            err.flush();
            return ErrorCode.INTERNAL_ERROR.exitCode();
        }
    }

    static final class ParameterHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine cli = e.getCommandLine();
            PrintWriter err = cli.getErr();
            String message = unknownCommand(e);
            err.println("cairn: " + (message != null ? message : oneLine(e.getMessage())) + " (see '" + cli.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        }

        /**
         * For a word where a command with subcommands expects one ({@code cairn frobnicate},
         * {@code cairn runs frobnicate}): the unknown command named with the ones there are; else null.
         */
        private static String unknownCommand(CommandLine.ParameterException e) {
            if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return null;
            CommandLine cli = e.getCommandLine();
            String word = u.getUnmatched().getFirst();
            if (word.startsWith("-") || cli.getSubcommands().isEmpty()) return null;
            return "unknown command '" + cli.getCommandSpec().qualifiedName() + " " + word + "'; the commands are: "
                    + String.join(", ", cli.getSubcommands().keySet());
        }
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
