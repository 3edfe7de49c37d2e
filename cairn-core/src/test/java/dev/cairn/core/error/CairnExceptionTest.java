package dev.cairn.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CairnExceptionTest {

    @Test
    void anInvalidValueNamesTheFieldTheValueAndWhatWasExpected() {
        CairnException e = CairnException.invalid("max_depth", -1, "an integer from 0 to 20");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("max_depth").contains("-1").contains("an integer from 0 to 20");
        assertThat(e.details()).containsEntry("field", "max_depth").containsEntry("value", "-1");
    }

    @Test
    void longValuesAreCutInTheMessage() {
        CairnException e = CairnException.invalid("name", "x".repeat(1000), "a short name");
        assertThat(e.getMessage().length()).isLessThan(400);
    }

    @Test
    void userErrorsExitWithTwoAndMapToClientStatuses() {
        assertThat(ErrorCode.RESOURCE_DOES_NOT_EXIST.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.RESOURCE_ALREADY_EXISTS.httpStatus()).as("MLflow's status for it").isEqualTo(400);
        assertThat(ErrorCode.PAYLOAD_TOO_LARGE.httpStatus()).isEqualTo(413);
        for (ErrorCode code : ErrorCode.values()) {
            if (code.kind() == ErrorCode.Kind.USER) {
                assertThat(code.exitCode()).isEqualTo(2);
                assertThat(code.httpStatus()).isBetween(400, 499);
            } else {
                assertThat(code.exitCode()).isEqualTo(1);
            }
        }
    }
}
