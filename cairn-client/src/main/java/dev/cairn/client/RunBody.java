package dev.cairn.client;

/** The body of {@link Cairn#run}: what a run does, which may throw. */
@FunctionalInterface
public interface RunBody {
    void accept(CairnRun run) throws Exception;
}
