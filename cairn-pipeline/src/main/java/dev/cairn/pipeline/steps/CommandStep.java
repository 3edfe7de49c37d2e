package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code command}: runs user code, a program and its arguments without a shell (no quoting or expansion to get
 * wrong), only where the workspace allows commands. Its stdout and stderr lines go to the step's log as they come;
 * the file {@code $CAIRN_OUTPUTS} names collects {@code name=value} lines, of which those {@code with.outputs}
 * declares become the step's outputs. A cancelled run stops the program and everything it started. A non-zero
 * exit fails the attempt with an ordinary exception, so the engine retries it as the step says (user code may
 * fail for reasons of the moment); a command that cannot run at all is an error to fix.
 */
public final class CommandStep implements StepRunner {
    /** The environment variable naming the outputs file. */
    public static final String OUTPUTS_VARIABLE = "CAIRN_OUTPUTS";
    private static final int LAST_LINES = 20;
    private static final long POLL_MILLIS = 100;
    private static final long GRACE_SECONDS = 5;

    @Override
    public StepType type() {
        return StepType.COMMAND;
    }

    @Override
    public StepResult run(StepContext context) throws IOException, InterruptedException {
        String id = context.step().id();
        if (!context.workspace().allowCommands()) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "Step '" + id + "' runs a command (" + context.field("run")
                    + "), and commands are not allowed here: the server runs user code only when configured to",
                    Map.of("step", id, "field", context.field("run")));
        }
        List<String> command = context.list("run");
        if (command.isEmpty() || command.getFirst().isBlank()) {
            throw CairnException.invalid(context.field("run"), command, "a program and its arguments, e.g. [python, prepare.py]");
        }
        Path workdir = context.has("workdir") ? context.file("workdir") : context.workspace().directory();
        if (!Files.isDirectory(workdir)) {
            throw CairnException.invalid(context.field("workdir"), context.optionalText("workdir").orElse(workdir.toString()),
                    "an existing directory (" + workdir + ")");
        }
        List<String> declared = context.list("outputs");
        Files.createDirectories(context.workDir());
        Path outputsFile = context.workDir().resolve("outputs.txt");
        Files.write(outputsFile, new byte[0]);

        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile());
        context.map("env").forEach((k, v) -> {
            if (v == null) builder.environment().remove(k);
            else builder.environment().put(k, String.valueOf(v));
        });
        builder.environment().put(OUTPUTS_VARIABLE, outputsFile.toString());
        context.log("Running " + command + " in " + workdir);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw CairnException.invalid(context.field("run"), command.getFirst(), "a program that can be started (" + e.getMessage() + ")");
        }
        Output output = new Output(context);
        Thread out = output.pump(process.getInputStream(), false, id + "-stdout");
        Thread err = output.pump(process.getErrorStream(), true, id + "-stderr");
        int exit;
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (context.cancelRequested()) {
                    destroyTree(process);
                    context.warn("Cancelled: stopped " + command.getFirst() + " and what it started");
                    throw new StepContext.Cancelled();
                }
            }
            exit = process.exitValue();
        } finally {
            // Also on an interrupt (a timeout) or a failure here: no program outlives its step.
            if (process.isAlive()) destroyTree(process);
        }
        // A program's children may hold the pipes open after it exits: wait a little, not for them.
        out.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
        err.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
        if (exit != 0) {
            throw new IllegalStateException(context.field("run") + ": " + command.getFirst() + " exited with code " + exit
                    + output.lastLines());
        }
        context.log(command.getFirst() + " exited with code 0");

        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("exit_code", 0L);
        outputs.putAll(outputs(context, outputsFile, declared));
        return StepResult.of(outputs);
    }

    /** The declared outputs among the file's {@code name=value} lines (the last line of a name wins). */
    private static Map<String, Object> outputs(StepContext context, Path file, List<String> declared) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String name = eq < 0 ? line.strip() : line.substring(0, eq).strip();
            if (eq < 0 || !declared.contains(name)) {
                ignored.add(name);
                continue;
            }
            values.put(name, line.substring(eq + 1));
        }
        if (!ignored.isEmpty()) {
            context.warn("Ignored lines of $" + OUTPUTS_VARIABLE + " that are no name=value of a declared output " + declared + ": " + ignored);
        }
        List<String> missing = declared.stream().filter(n -> !values.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_STATE, context.field("outputs") + ": the command did not write "
                    + String.join(", ", missing) + " to $" + OUTPUTS_VARIABLE + " (as name=value lines)",
                    Map.of("field", context.field("outputs"), "missing", missing));
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String name : declared) ordered.put(name, values.get(name));
        return ordered;
    }

    /** Stops the program and its descendants: politely, then after a grace period for good. */
    private static void destroyTree(Process process) throws InterruptedException {
        // Listed before the parent goes: once it is gone, its children are no longer its descendants.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        for (ProcessHandle p : tree) {
            while (p.isAlive() && System.nanoTime() < deadline) Thread.sleep(POLL_MILLIS);
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The program's lines, to the log as they come, the last few kept for the failure's message. */
    private static final class Output {
        private final StepContext context;
        private final Deque<String> last = new ArrayDeque<>();

        Output(StepContext context) {
            this.context = context;
        }

        Thread pump(InputStream stream, boolean error, String name) {
            Thread t = Thread.ofVirtual().name(name).start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) line(line, error);
                } catch (IOException e) {
                    // The stream closes when the process is destroyed: nothing more to read.
                }
            });
            return t;
        }

        /** One at a time: the log sink need not be thread-safe, and the lines of one stream stay in order. */
        private synchronized void line(String line, boolean error) {
            if (error) context.warn(line);
            else context.log(line);
            last.addLast(line);
            if (last.size() > LAST_LINES) last.removeFirst();
        }

        synchronized String lastLines() {
            return last.isEmpty() ? " (no output)" : "; last lines:\n" + String.join("\n", last);
        }
    }
}
