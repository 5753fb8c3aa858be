package io.mosaspark.train.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's progress, for people and for machines: one {@code metrics.jsonl} line per round and per
 * evaluation (flushed as written, so a crashed run keeps its history; a resumed run appends to a new
 * file {@code metrics-resume-<round>.jsonl} because not every filesystem can append), and one
 * human line per round with loss, tokens/s, the round-time split and the ETA (with a progress bar when
 * the output is a terminal).
 */
public final class RoundLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FSDataOutputStream metrics;
    private final PrintStream human;
    private final boolean terminal;
    private final int totalRounds;
    private final List<RoundRecord> records = new ArrayList<>();

    public RoundLog(FileSystem fs, Path file, PrintStream human, int totalRounds) throws IOException {
        this.metrics = fs.create(file, true);
        this.human = human;
        this.terminal = System.console() != null && human == System.err;
        this.totalRounds = totalRounds;
    }

    public void write(RoundRecord r) throws IOException {
        records.add(r);
        metrics.write((JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8));
        metrics.hflush();
        human.println(line(r));
        human.flush();
    }

    public List<RoundRecord> records() {
        return List.copyOf(records);
    }

    private String line(RoundRecord r) {
        if ("eval".equals(r.kind())) {
            return String.format(Locale.ROOT, "eval  after round %d (step %d): val loss %.4f, perplexity %.2f",
                    r.round(), r.globalStep(), r.valLoss(), r.valPerplexity());
        }
        String bar = terminal ? bar(r.round()) + " " : "";
        return String.format(Locale.ROOT,
                "%sround %d/%d step %d: loss %.4f, %s tok/s, round %.2fs (compute %.2fs, averaging %.2fs, scheduling %.2fs), ETA %s",
                bar, r.round(), totalRounds, r.globalStep(), r.trainLoss(), thousands(r.tokensPerSecond()),
                r.roundSeconds(), r.computeSeconds(), r.averagingSeconds(), r.schedulingSeconds(), duration(r.etaSeconds()));
    }

    private String bar(int round) {
        int width = 20, done = (int) Math.round(width * (double) round / totalRounds);
        return "[" + "#".repeat(done) + ".".repeat(width - done) + "]";
    }

    static String thousands(double v) {
        return v >= 10_000 ? String.format(Locale.ROOT, "%.1fk", v / 1000) : String.format(Locale.ROOT, "%.0f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
