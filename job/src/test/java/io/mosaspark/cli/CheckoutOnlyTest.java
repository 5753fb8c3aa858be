package io.mosaspark.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mosa bench} is the benchmarks where module bench is on the classpath, and a pointer to them where not. */
class CheckoutOnlyTest {

    /** The classpath of the spark-submit jar, as far as bench goes: everything but io.mosaspark.bench. */
    static final class WithoutBench extends ClassLoader {
        WithoutBench(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.mosaspark.bench.")) throw new ClassNotFoundException(name);
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void aCheckoutRegistersTheBenchmarksWithTheirPrepAlias() {
        CommandLine bench = Mosa.commandLine().getSubcommands().get("bench");
        assertEquals(CheckoutOnly.BENCH_CLASS, bench.getCommand().getClass().getName());
        assertTrue(bench.getSubcommands().containsKey("prep"), "`mosa bench prep --suite …` still works");
    }

    @Test
    void withoutModuleBenchTheCommandSaysWhereBenchmarksRun() {
        Object standIn = CheckoutOnly.bench(new WithoutBench(CheckoutOnlyTest.class.getClassLoader()));
        assertInstanceOf(CheckoutOnly.BenchNotCarried.class, standIn);
        StringWriter err = new StringWriter();
        CommandLine mosa = new CommandLine(new Mosa()).addSubcommand(standIn).setErr(new PrintWriter(err));
        assertEquals(2, mosa.execute("bench", "throughput", "--warmup", "1", "--out", "x.json"));
        assertTrue(err.toString().contains("benchmarks run from a checkout (./mosa bench …); the spark-submit jar does not carry them"),
                err.toString());
    }
}
