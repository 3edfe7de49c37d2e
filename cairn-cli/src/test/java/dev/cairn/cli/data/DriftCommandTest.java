package dev.cairn.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn data drift --test}: tests chosen by name; a wrong name lists the test names and the columns each needs. */
class DriftCommandTest {
    @TempDir
    Path dir;

    private Path csv(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private CliRunner.Result drift(String... test) throws Exception {
        Path ref = csv("ref.csv", "grade,score\n" + "a,1\nb,2\nc,3\n".repeat(20));
        Path cur = csv("cur.csv", "grade,score\n" + "a,1\na,2\nc,3\n".repeat(20));
        String[] args = {"data", "drift", ref.toString(), cur.toString(), "-o", dir.resolve("reports").toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + test.length);
        System.arraycopy(test, 0, all, args.length, test.length);
        return CliRunner.run(all);
    }

    @Test
    void theContingencyChiSquareIsChosenByName() throws Exception {
        CliRunner.Result r = drift("--test", "grade=chi_square_contingency");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("grade\\s+cat\\s+chi_square_contingency");
    }

    @Test
    void aStatisticNameInsteadOfATestNameListsTheTestsAndTheirColumns() throws Exception {
        CliRunner.Result wrongName = drift("--test", "score=ks_p_value");
        assertThat(wrongName.exitCode()).isEqualTo(2);
        assertThat(wrongName.err()).contains("'ks_p_value'").contains("ks (numeric columns").contains("chi_square_contingency (categorical columns");
        CliRunner.Result wrongKind = drift("--test", "grade=ks");
        assertThat(wrongKind.exitCode()).isEqualTo(2);
        assertThat(wrongKind.err()).contains("Test 'ks' does not apply to column 'grade' (categorical): it needs numeric columns")
                .doesNotContain("_p_value");
    }
}
