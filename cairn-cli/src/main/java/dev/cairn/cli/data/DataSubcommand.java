package dev.cairn.cli.data;

import dev.cairn.core.error.CairnException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * The common frame of the data commands: a CairnException becomes one line on stderr and its exit
 * code (2 for bad input), with nothing left half-written (reports are written only at the end).
 */
abstract class DataSubcommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Does the work; returns the exit code. */
    abstract int execute();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public Integer call() {
        try {
            int code = execute();
            out().flush();
            return code;
        } catch (CairnException e) {
            ProgressBar.clear(err());
            err().println("cairn: " + e.getMessage().replaceAll("\\s*\\R\\s*", " ").strip());
            err().flush();
            return e.code().exitCode();
        }
    }
}
