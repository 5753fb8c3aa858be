package io.mosaspark.train;

import io.mosaspark.train.outer.OuterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver JVM killed in the middle of a run; a new driver resumes and finishes with the same model. */
class DriverKillTest {

    @TempDir
    Path tmp;

    static TrainConfig config(OuterConfig.Rule rule) {
        OuterConfig outer = rule == OuterConfig.Rule.AVERAGING ? OuterConfig.averaging() : OuterConfig.diloco();
        TrainConfig c = TinyRuns.config(2, 2, 14, outer, "float32");
        return c.withCadence(0, c.evalWindows(), 1, 3);
    }

    private Process child(Path out, String rule, boolean resume) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Xmx") || a.startsWith("-Djdk")).toList());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainInChildJvm.class.getName());
        cmd.add(out.toString());
        cmd.add(rule);
        cmd.add(Boolean.toString(resume));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child-" + rule + "-" + resume + ".log").toFile()).start();
    }

    @Test
    void aDriverKilledMidRunResumesToTheUndisturbedParameters() throws Exception {
        for (String rule : List.of("averaging", "diloco")) {
            Path out = tmp.resolve("killed-" + rule);
            Process driver = child(out, rule, false);
            Path third = out.resolve("checkpoints/round-000003/_COMPLETE");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.exists(third) && driver.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(third), "the driver wrote its third checkpoint; log: "
                    + Files.readString(tmp.resolve("child-" + rule + "-false.log")));
            driver.destroyForcibly().waitFor();
            assertFalse(Files.exists(out.resolve("summary.json")), "killed before the end");

            Process resumed = child(out, rule, true);
            assertTrue(resumed.waitFor(180, TimeUnit.SECONDS), "resumed driver finishes");
            assertEquals(0, resumed.exitValue(), Files.readString(tmp.resolve("child-" + rule + "-true.log")));

            Trainer.Result undisturbed = Trainer.train(SharedSpark.context(), config(OuterConfig.Rule.parse(rule)),
                    TinyRuns.data(2), TinyRuns.options(tmp.resolve("undisturbed-" + rule), false, null));
            var model = new io.mosaspark.train.checkpoint.ModelFiles(config(OuterConfig.Rule.parse(rule)));
            var fs = org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
            var finalParams = model.readSafeTensors(fs, new org.apache.hadoop.fs.Path(out.resolve("model.safetensors").toUri()));
            assertEquals(undisturbed.state().params(), finalParams,
                    rule + ": max |diff| " + undisturbed.state().params().maxAbsDifference(finalParams));
            assertTrue(Files.readString(tmp.resolve("child-" + rule + "-true.log")).contains("resuming from"));
        }
    }
}
