package dev.cairn.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn data validate}: problems of the data are failed checks (exit 1); an unreadable file is bad input (exit 2). */
class ValidateCommandTest {
    @TempDir
    Path dir;

    private Path spec() throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, """
                fields:
                  - name: id
                    type: INTEGER
                    nullable: false
                  - name: age
                    type: INTEGER
                    min: 0
                    max: 120
                  - name: grade
                    type: STRING
                    domain: [A, B]
                """);
        return spec;
    }

    private CliRunner.Result validate(Path data) throws Exception {
        return CliRunner.run("data", "validate", data.toString(), "-s", spec().toString(), "-o", dir.resolve("reports").toString());
    }

    @Test
    void aMessyFileFailsWithEveryProblemNamingItsLineAndExitCode1() throws Exception {
        Path data = dir.resolve("people.csv");
        Files.writeString(data, "id,age,grade,extra\n1,30,A,x\n2,40,B,x\n3,50\n4,abc,A,x\n5,20,A,x,surplus\n6,-3,B,x\n7,33,Z,x\n");
        CliRunner.Result r = validate(data);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED").contains("2 malformed lines not read")
                .contains("well-formed lines").contains("line 4 has 2 fields where the header has 4").contains("line 6 has 5 fields")
                .contains("coercion age").contains("first at line 5: 'abc'")
                .contains("range age").contains("_line=7")
                .contains("domain grade").contains("_line=8")
                .contains("unexpected_column extra");
    }

    @Test
    void anUnreadableFileIsOneLineAndExitCode2() throws Exception {
        Path data = dir.resolve("rows.jsonl");
        Files.writeString(data, "{\"id\": 1}\n{\"id\": oops}\n");
        CliRunner.Result r = validate(data);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).contains(data.toString()).contains("line 2").doesNotContain("\n").doesNotContain("LINE 1")
                .doesNotContain("Invalid Input Error");
    }
}
