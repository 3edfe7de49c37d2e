package dev.cairn.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.spec.StepType;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardStepsTest {

    @Test
    void everyTypeButThoseThatNeedTheServerHasOneRunner() {
        List<StepType> types = StandardSteps.all().stream().map(StepRunner::type).toList();
        assertThat(types).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.of(StepType.DEPLOY, StepType.CANARY, StepType.SCORE)));
        StepRunners runners = new StepRunners().addAll(StandardSteps.all());
        assertThat(runners.find(StepType.TUNE)).get().isInstanceOf(TuneStep.class);
        assertThat(runners.find(StepType.DEPLOY)).isEmpty();
    }
}
