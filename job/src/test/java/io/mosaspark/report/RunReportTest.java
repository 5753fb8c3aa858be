package io.mosaspark.report;

import io.mosaspark.cli.Mosa;
import io.mosaspark.cluster.TestCorpus;
import io.mosaspark.prep.SharedSpark;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a real {@code mosa train} run (a MoSA hybrid on a BPE shard set, statistics on), as
 * the user gets it: written at the end of training, opened from disk in headless Chromium.
 */
class RunReportTest {
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        Path corpus = TestCorpus.write(Files.createDirectories(tmp.resolve("corpus")));
        SharedSpark.session();
        Path shards = tmp.resolve("shards");
        assertEquals(0, Mosa.commandLine().execute("prepare", "--input", corpus.toUri().toString(),
                "--out", shards.toUri().toString(), "--format", "jsonl", "--tokenizer", "train:320",
                "--val-fraction", "0.1", "--shard-tokens", "4000", "--name", "e2e", "--seed", "7"));
        run = tmp.resolve("run");
        int exit = Mosa.commandLine().execute("train", "--data", shards.toUri().toString(), "--out", run.toUri().toString(),
                "--set", "n_layers=2", "--seq-len", "32", "--batch", "2", "--workers", "2", "--local-steps", "2",
                "--rounds", "4", "--eval-every", "2", "--eval-windows", "4", "--rho", "4");
        assertEquals(0, exit);
    }

    @Test
    void trainWritesASelfContainedPageAndPngs() throws IOException {
        String html = Files.readString(run.resolve(RunReport.HTML));
        assertFalse(Pattern.compile("<script[^>]+src=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no external script");
        assertFalse(html.contains("<link"), "no external stylesheet");
        assertTrue(html.contains("Chart.js v4"), "Chart.js inlined");
        assertTrue(html.contains("\"replica_drift\"") || html.contains("\"drift\""), "routing data in the page");
        // token ids decoded with the run's BPE tokenizer (the ids alone would leave "text":null)
        assertTrue(Pattern.compile("\"text\":\"[^\"]+\"").matcher(html).find(), "decoded token text");
        for (String png : List.of("loss.png", "throughput.png", "round-time.png", "coverage.png", "head-overlap.png",
                "replica-drift.png")) {
            BufferedImage image = ImageIO.read(run.resolve(RunReport.PNG_DIRECTORY).resolve(png).toFile());
            assertTrue(variance(image) > 50, png + " is not blank");
        }
    }

    @Test
    void everyChartRendersInChromium() throws Exception {
        var chromium = HeadlessChromium.find(Files.createDirectories(tmp.resolve("chromium-profile")));
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium found (set " + HeadlessChromium.ENV
                + " or install Debian's chromium; .ci/run installs it): the browser check did not run");
        Path page = run.resolve(RunReport.HTML);
        String dom = chromium.get().dumpDom(page);

        Matcher body = Pattern.compile("<body[^>]*data-rendered=\"(\\w+)\"[^>]*data-charts=\"(\\d+)\"").matcher(dom);
        assertTrue(body.find(), "the page's script ran to its end:\n" + dom.substring(0, Math.min(2000, dom.length())));
        assertEquals("true", body.group(1), "every chart has a non-zero size");
        Matcher canvas = Pattern.compile("<canvas([^>]*)>").matcher(dom);
        int canvases = 0;
        while (canvas.find()) {
            canvases++;
            Matcher w = Pattern.compile("width=\"(\\d+)\"").matcher(canvas.group(1));
            Matcher h = Pattern.compile("height=\"(\\d+)\"").matcher(canvas.group(1));
            assertTrue(w.find() && Integer.parseInt(w.group(1)) > 0 && h.find() && Integer.parseInt(h.group(1)) > 0,
                    "canvas drawn: " + canvas.group());
        }
        assertEquals(canvases, Integer.parseInt(body.group(2)), "one chart per canvas");
        // 4 training charts, coverage, overlap, drift, and one position histogram per layer and MoSA head
        assertTrue(canvases > 7, canvases + " charts");

        Path shot = tmp.resolve("report.png");
        chromium.get().screenshot(page, shot, 1280, 2000);
        assertTrue(variance(ImageIO.read(shot.toFile())) > 50, "the screenshot is not blank");
    }

    @Test
    void aDirectoryThatIsNoRunIsRefusedInOneLine() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        StringWriter err = new StringWriter();
        CommandLine cli = Mosa.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("report", empty.toUri().toString()));
        List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).contains("metrics.jsonl is missing"), lines.get(0));
    }

    /** Variance of the pixels' luminance (0 … 255²): 0 for a blank image. */
    static double variance(BufferedImage image) {
        double sum = 0, sq = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double l = 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                sum += l;
                sq += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }
}
