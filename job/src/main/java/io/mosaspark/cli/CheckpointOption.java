package io.mosaspark.cli;

import picocli.CommandLine.Option;

/** {@code --checkpoint}, as every command that reads a trained model (eval, generate, export) takes it. */
final class CheckpointOption {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "A run directory of `mosa train` (its final model, else its newest intact checkpoint) or one checkpoint directory.")
    String directory;
}
