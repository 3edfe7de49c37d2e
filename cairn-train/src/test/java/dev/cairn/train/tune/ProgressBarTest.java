package dev.cairn.train.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    @DisplayName("the progress line shows trials done, a proportional bar and the best score so far, redrawn in place")
    void line() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "roc_auc");
        bar.addTotal(4);
        bar.step(0.71);
        bar.step(0.7523);
        assertThat(bar.line()).startsWith("[############------------] 2/4 trials  best roc_auc 0.7523");
        bar.finish();
        String written = bytes.toString(StandardCharsets.UTF_8);
        assertThat(written).startsWith("\r[").endsWith(System.lineSeparator()).contains("\r[######------------------] 1/4 trials");
    }
}
