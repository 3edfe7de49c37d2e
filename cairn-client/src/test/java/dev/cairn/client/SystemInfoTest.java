package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.tracking.SystemTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemInfoTest {

    @TempDir
    Path dir;

    private static final String SHA = "89abcdef0123456789abcdef0123456789abcdef";

    @Test
    void theCommitOfABranchIsReadFromItsRefFile() throws IOException {
        Files.createDirectories(dir.resolve(".git/refs/heads"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(dir.resolve(".git/refs/heads/main"), SHA + "\n");
        assertThat(SystemInfo.gitCommit(Files.createDirectories(dir.resolve("src/main")))).contains(SHA);
    }

    @Test
    void aPackedRefAndADetachedHeadAreReadToo() throws IOException {
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/release\n");
        Files.writeString(dir.resolve(".git/packed-refs"), "# pack-refs with: peeled\n" + SHA + " refs/heads/release\n");
        assertThat(SystemInfo.gitCommit(dir)).contains(SHA);
        Files.writeString(dir.resolve(".git/HEAD"), SHA + "\n");
        assertThat(SystemInfo.gitCommit(dir)).contains(SHA);
    }

    @Test
    void aLinkedWorkTreeFollowsItsGitdirFile() throws IOException {
        Path main = Files.createDirectories(dir.resolve("repo/.git/worktrees/feature"));
        Files.createDirectories(dir.resolve("repo/.git/refs/heads"));
        Files.writeString(dir.resolve("repo/.git/refs/heads/feature"), SHA + "\n");
        Files.writeString(main.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(main.resolve("commondir"), "../..\n");
        Path tree = Files.createDirectories(dir.resolve("feature-tree"));
        Files.writeString(tree.resolve(".git"), "gitdir: " + main + "\n");
        assertThat(SystemInfo.gitCommit(tree)).contains(SHA);
    }

    @Test
    void outsideAGitWorkTreeThereIsNoCommit() {
        // /proc has no .git above it on any machine these tests run on.
        assertThat(SystemInfo.gitCommit(Path.of("/proc/self"))).isEmpty();
    }

    @Test
    void systemTagsNameTheUserSourceJdkOsAndHost() {
        Map<String, String> tags = SystemInfo.tags("alice", "com.example.Train", dir);
        assertThat(tags).containsEntry(SystemTags.USER, "alice").containsEntry(SystemTags.SOURCE_NAME, "com.example.Train")
                .containsKeys(SystemTags.JDK, SystemTags.OS, SystemTags.HOST).doesNotContainKey(SystemTags.GIT_COMMIT);
        assertThat(tags.get(SystemTags.JDK)).contains(System.getProperty("java.version").split("[.+]")[0]);
        assertThat(tags.get(SystemTags.OS)).startsWith(System.getProperty("os.name"));
    }
}
