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
            PrintWriter err = e.getCommandLine().getErr();
            err.println("cairn: " + oneLine(e.getMessage()) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        }
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
