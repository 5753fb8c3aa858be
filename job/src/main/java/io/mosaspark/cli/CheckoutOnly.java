package io.mosaspark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Commands that only a checkout carries. {@code ./mosa} runs with module bench on its classpath; the
 * spark-submit jar leaves it out (benchmarks start child JVMs and PyTorch: nothing a cluster runs). Such a
 * command is looked up by class name, so that this module links to it only where it is present; elsewhere
 * a stand-in of the same name says where to run it.
 */
final class CheckoutOnly {

    static final String BENCH_CLASS = "io.mosaspark.bench.BenchCommand";
    static final String BENCH_NOT_CARRIED =
            "benchmarks run from a checkout (./mosa bench …); the spark-submit jar does not carry them";

    private CheckoutOnly() {
    }

    /** {@code mosa bench} as {@code loader} can give it: the benchmarks, or the stand-in. */
    static Object bench(ClassLoader loader) {
        Class<?> command;
        try {
            command = Class.forName(BENCH_CLASS, true, loader);
        } catch (ClassNotFoundException | LinkageError absent) {
            return new BenchNotCarried();
        }
        try {
            return command.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + BENCH_CLASS + ": " + e, e);
        }
    }

    /** {@code mosa bench …} where the benchmarks are not on the classpath: a usage error that says where they are. */
    @Command(name = "bench", mixinStandardHelpOptions = true, description = BENCH_NOT_CARRIED + ".")
    static final class BenchNotCarried implements Callable<Integer> {

        @Unmatched
        List<String> args = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), BENCH_NOT_CARRIED);
        }
    }
}
