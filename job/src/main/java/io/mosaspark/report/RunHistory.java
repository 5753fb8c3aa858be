package io.mosaspark.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.train.report.RoundRecord;
import io.mosaspark.train.routing.RoutingFiles;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run directory says about its run: every round and evaluation line ({@code metrics.jsonl} and,
 * after resumes, {@code metrics-resume-<round>.jsonl}, each continuing the history from its round), the
 * summary (when the run finished) and the routing statistics (when collected).
 *
 * @param records  round and evaluation records in order, a resumed run's replacing what came after its checkpoint
 * @param summary  {@code summary.json}, or null while the run has not finished
 * @param routing  {@code routing/routing.json}, or null
 */
record RunHistory(List<RoundRecord> records, JsonNode summary, RoutingFiles.Contents routing) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern RESUME = Pattern.compile("metrics-resume-(\\d+)\\.jsonl");

    static RunHistory read(FileSystem fs, Path run) throws IOException {
        Path first = new Path(run, "metrics.jsonl");
        FileStatus[] all = fs.listStatus(run);
        List<FileStatus> resumes = new ArrayList<>(Arrays.stream(all)
                .filter(s -> RESUME.matcher(s.getPath().getName()).matches()).toList());
        // a run resumed into a directory that kept only its checkpoints has no metrics.jsonl of its own
        if (!fs.exists(first) && resumes.isEmpty()) {
            throw new IllegalArgumentException(first + " is missing: " + run + " is not the run directory of a mosa train run "
                    + "(give the --out of mosa train)");
        }
        List<RoundRecord> records = new ArrayList<>(fs.exists(first) ? lines(fs, first) : List.of());
        resumes.sort(Comparator.comparingInt(s -> resumeRound(s.getPath().getName())));
        for (FileStatus s : resumes) {
            int from = resumeRound(s.getPath().getName());
            records.removeIf(r -> r.round() > from);
            records.addAll(lines(fs, s.getPath()));
        }
        Path summary = new Path(run, "summary.json");
        JsonNode summaryJson = fs.exists(summary) ? JSON.readTree(AtomicHadoopFiles.readString(fs, summary)) : null;
        return new RunHistory(List.copyOf(records), summaryJson,
                RoutingFiles.read(fs, new Path(run, RoutingFiles.DIRECTORY)));
    }

    List<RoundRecord> rounds() {
        return records.stream().filter(r -> "round".equals(r.kind())).toList();
    }

    List<RoundRecord> evaluations() {
        return records.stream().filter(r -> "eval".equals(r.kind())).toList();
    }

    private static int resumeRound(String name) {
        Matcher m = RESUME.matcher(name);
        if (!m.matches()) throw new IllegalStateException(name);
        return Integer.parseInt(m.group(1));
    }

    private static List<RoundRecord> lines(FileSystem fs, Path file) throws IOException {
        List<RoundRecord> out = new ArrayList<>();
        String[] all = AtomicHadoopFiles.readString(fs, file).split("\n");
        for (int n = 1; n <= all.length; n++) {
            String line = all[n - 1];
            if (line.isBlank()) continue;
            try {
                out.add(JSON.readValue(line, RoundRecord.class));
            } catch (IOException e) {
                // the last line of a run killed mid-write may be cut short: everything before it still counts
                if (n < all.length) {
                    throw new IllegalArgumentException(file + " line " + n + " is not a metrics record: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }
}
