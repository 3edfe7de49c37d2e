package dev.cairn.cli.quickstart;

/** One stage of the example (tracking, data validation, training, serving…), printing what it did. */
interface Stage {

    String title();

    void run(Example example) throws Exception;
}
