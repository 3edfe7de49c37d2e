package dev.cairn.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void lineBreaksControlCharactersAndBidiOverridesAreEscapedAndPlainTextIsUnchanged() {
        assertThat(Printable.escape("alice")).isEqualTo("alice");
        assertThat(Printable.escape("Zoë / équipe@risk")).isEqualTo("Zoë / équipe@risk");
        assertThat(Printable.escape(null)).isNull();
        assertThat(Printable.escape("a\nb\r\tc")).isEqualTo("a\\nb\\r\\tc");
        assertThat(Printable.escape("x\u001b[31my\u0000")).isEqualTo("x\\u001b[31my\\u0000");
        assertThat(Printable.escape("a\u2028b\u202Ec")).isEqualTo("a\\u2028b\\u202ec");
        // A literal backslash-n stays distinguishable from an escaped newline.
        assertThat(Printable.escape("a\\nb")).isEqualTo("a\\\\nb");
        assertThat(Printable.escape("a\\nb")).isNotEqualTo(Printable.escape("a\nb"));
    }
}
