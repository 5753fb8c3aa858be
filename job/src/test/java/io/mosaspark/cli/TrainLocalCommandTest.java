package io.mosaspark.cli;

import io.mosaspark.demo.LocalDemo;
import io.mosaspark.demo.RecallTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainLocalCommandTest {

    @TempDir
    Path out;

    private LocalDemo plan(String... args) {
        TrainLocalCommand c = new TrainLocalCommand();
        new CommandLine(c).parseArgs(args);
        return c.plan();
    }

    private ParityCommandTest.Run run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        CommandLine cl = new CommandLine(new TrainLocalCommand());
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        return new ParityCommandTest.Run(cl.execute(args), o.toString(), e.toString());
    }

    @Test
    void optionsOverrideThePresetAndTheHybridIsIsoFlop() {
        LocalDemo d = plan("--out", out.toString(), "--steps", "7", "--batch", "3", "--seq-len", "64", "--seed", "9",
                "--rho", "4", "--set", "n_layers=1");
        assertEquals(List.of("dense", "mosa"), d.variants());
        assertEquals(7, d.preset().training().steps());
        assertEquals(3, d.preset().training().batchSize());
        assertEquals(64, d.preset().dense().seqLen());
        assertEquals(64, d.task().seqLen());
        assertEquals(9, d.task().seed());
        assertEquals(1, d.preset().dense().nLayers());
        assertEquals(List.of("n_layers=1", "steps=7", "batch_size=3", "seq_len=64", "seed=9"), d.overrides());
        var mosa = d.preset().mosa(d.sparsity()).attention();
        assertEquals(4, mosa.denseHeads());
        assertEquals(4, mosa.sparsity());
        assertEquals(List.of("mosa"), plan("--out", out.toString(), "--model", "mosa").variants());
        assertEquals(RecallTraining.LossOn.ANSWERS, plan("--out", out.toString(), "--loss-on", "answers").settings().lossOn());
    }

    @Test
    void theDefaultTaskIsANeedleAndMoreKeysAreAllAskedFor() {
        LocalDemo d = plan("--out", out.toString());
        assertEquals(RecallTraining.LossOn.ALL, d.settings().lossOn());
        assertEquals(List.of(1, 16, 1, 1), List.of(d.task().keys(), d.task().values(), d.task().facts(), d.task().queries()));
        assertEquals(400, d.preset().training().steps());
        assertEquals(64, d.settings().evalBatchSize());
        d = plan("--out", out.toString(), "--keys", "4");
        assertEquals(List.of(4, 16, 4, 4), List.of(d.task().keys(), d.task().values(), d.task().facts(), d.task().queries()));
        d = plan("--out", out.toString(), "--keys", "8", "--facts", "6", "--values", "8");
        assertEquals(List.of(8, 8, 6, 6), List.of(d.task().keys(), d.task().values(), d.task().facts(), d.task().queries()));
    }

    @Test
    void badOptionsAreRefusedBeforeTraining() {
        assertRefused("--model 'sparse' is unknown", "--model", "sparse");
        assertRefused("--precision float16: valid values are float32, float64", "--precision", "float16");
        assertRefused("preset 'huge' is unknown", "--preset", "huge");
        assertRefused("override key 'layers' is unknown", "--set", "layers=2");
        assertRefused("sparsity = 0: must be >= 1", "--rho", "0");
        assertRefused("steps = 0: must be > 0", "--steps", "0");
        assertRefused("--average-last = 0: must be >= 1", "--average-last", "0");
        assertRefused("--loss-on fillers: valid values are answers, all", "--loss-on", "fillers");
        var r = run("--preset", "cpu-demo");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--out"), r.err());
    }

    private void assertRefused(String message, String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("--out", out.toString()),
                java.util.Arrays.stream(args)).toArray(String[]::new);
        var r = run(all);
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(message), "'" + message + "' not in: " + r.err());
    }
}
