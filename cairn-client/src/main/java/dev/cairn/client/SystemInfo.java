package dev.cairn.client;

import dev.cairn.core.tracking.SystemTags;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the SDK records about where a run comes from: user, source (the main class), git commit of
 * the working directory, JDK, OS and host. Read from the JVM and the {@code .git} directory
 * directly, so it works without a git executable.
 */
final class SystemInfo {

    private SystemInfo() {}

    /** The system tags for a run started from this process; {@code source} overrides the main class. */
    static Map<String, String> tags(String user, String source, Path workingDirectory) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SystemTags.USER, user);
        String sourceName = source != null ? source : mainClass().orElse("unknown");
        tags.put(SystemTags.SOURCE_NAME, sourceName);
        tags.put(SystemTags.SOURCE_TYPE, "LOCAL");
        gitCommit(workingDirectory).ifPresent(commit -> tags.put(SystemTags.GIT_COMMIT, commit));
        tags.put(SystemTags.JDK, System.getProperty("java.vendor", "?") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version", "?")));
        tags.put(SystemTags.OS, System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "?") + " "
                + System.getProperty("os.arch", "?"));
        tags.put(SystemTags.HOST, hostName());
        return tags;
    }

    static String userName() {
        String name = System.getProperty("user.name");
        return name == null || name.isBlank() ? "anonymous" : name;
    }

    /** The class whose {@code main} started the JVM, from the launcher's command or the main thread's stack. */
    static Optional<String> mainClass() {
        String command = System.getProperty("sun.java.command");
        if (command != null && !command.isBlank()) {
            String first = command.trim().split("\\s+")[0];
            // Test runners and IDE launchers are not what the user thinks of as the source.
            if (!first.endsWith(".jar") && !first.startsWith("org.apache.maven.surefire")) return Optional.of(first);
        }
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            if (entry.getKey().threadId() == 1 || entry.getKey().getName().equals("main")) {
                StackTraceElement[] stack = entry.getValue();
                if (stack.length > 0 && stack[stack.length - 1].getMethodName().equals("main")) {
                    return Optional.of(stack[stack.length - 1].getClassName());
                }
            }
        }
        return Optional.ofNullable(command == null || command.isBlank() ? null : command.trim().split("\\s+")[0]);
    }

    /** The commit checked out in the git work tree containing {@code dir}, if any. */
    static Optional<String> gitCommit(Path dir) {
        try {
            Path current = dir.toAbsolutePath().normalize();
            while (current != null) {
                Path dotGit = current.resolve(".git");
                if (Files.isDirectory(dotGit)) return headOf(dotGit, dotGit);
                if (Files.isRegularFile(dotGit)) {
                    // A linked work tree or submodule: ".git" is a file "gitdir: <path>".
                    String line = Files.readString(dotGit).trim();
                    if (!line.startsWith("gitdir:")) return Optional.empty();
                    Path gitDir = current.resolve(line.substring("gitdir:".length()).trim()).normalize();
                    Path common = gitDir;
                    Path commonFile = gitDir.resolve("commondir");
                    if (Files.isRegularFile(commonFile)) {
                        common = gitDir.resolve(Files.readString(commonFile).trim()).normalize();
                    }
                    return headOf(gitDir, common);
                }
                current = current.getParent();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> headOf(Path gitDir, Path commonDir) throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) return Optional.empty();
        String head = Files.readString(headFile).trim();
        if (!head.startsWith("ref:")) return isSha(head) ? Optional.of(head) : Optional.empty();
        String ref = head.substring("ref:".length()).trim();
        for (Path base : List.of(gitDir, commonDir)) {
            Path refFile = base.resolve(ref);
            if (Files.isRegularFile(refFile)) {
                String sha = Files.readString(refFile).trim();
                return isSha(sha) ? Optional.of(sha) : Optional.empty();
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && isSha(parts[0])) return Optional.of(parts[0]);
            }
        }
        return Optional.empty();
    }

    private static boolean isSha(String s) {
        return s.matches("[0-9a-f]{40}|[0-9a-f]{64}");
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }
}
