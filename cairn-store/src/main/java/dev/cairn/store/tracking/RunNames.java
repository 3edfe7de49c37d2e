package dev.cairn.store.tracking;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Names for runs created without one, in MLflow's style ("bold-heron-417"). */
final class RunNames {

    private static final List<String> ADJECTIVES = List.of(
            "able", "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "fair", "fleet",
            "gentle", "glad", "grand", "handsome", "honest", "keen", "kind", "lively", "loud", "lucky", "merry", "mild",
            "nimble", "noble", "polite", "proud", "quick", "quiet", "rare", "shy", "silent", "sleek", "smooth", "steady",
            "stern", "swift", "tidy", "vast", "warm", "wise", "witty", "zealous");
    private static final List<String> NOUNS = List.of(
            "ant", "bass", "bat", "bear", "bee", "bird", "boar", "cat", "carp", "colt", "crab", "crow", "deer", "doe",
            "dove", "duck", "eel", "elk", "finch", "fox", "frog", "goat", "hare", "hawk", "heron", "horse", "jay",
            "koi", "lark", "lynx", "mink", "mole", "moth", "newt", "owl", "ram", "seal", "shark", "sheep", "slug",
            "snail", "swan", "toad", "trout", "wasp", "whale", "wolf", "wren", "yak");

    private RunNames() {}

    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size())) + "-"
                + random.nextInt(1000);
    }
}
