package io.mosaspark.train.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's routing statistics on disk, {@code <run>/routing/}: {@code routing.json} with everything, and
 * one CSV per table for spreadsheets and plotting tools (columns: docs/routing.md). Every file is
 * rewritten whole, atomically, at the end of each interval, so a reader never sees half a file.
 */
public final class RoutingFiles {
    public static final String DIRECTORY = "routing";
    public static final String JSON_FILE = "routing.json";
    public static final String FORMAT = "mosa-routing";
    public static final int FORMAT_VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final CsvMapper CSV = new CsvMapper();

    /** Everything in {@code routing.json}. */
    public record Contents(
            @JsonProperty("format") String format,
            @JsonProperty("format_version") int formatVersion,
            @JsonProperty("shape") RoutingShape shape,
            @JsonProperty("bin_starts") List<Integer> binStarts,
            @JsonProperty("routing_every") int routingEvery,
            @JsonProperty("probe_windows") int probeWindows,
            @JsonProperty("intervals") List<IntervalSummary> intervals,
            @JsonProperty("drift") List<DriftRecord> drift) {
    }

    private RoutingFiles() {
    }

    /** Writes {@code c} under {@code dir}: routing.json, heads.csv, positions.csv, tokens.csv, layers.csv, drift.csv. */
    public static void write(FileSystem fs, Path dir, Contents c) throws IOException {
        fs.mkdirs(dir);
        AtomicHadoopFiles.writeString(fs, new Path(dir, JSON_FILE), JSON.writeValueAsString(c));
        List<Map<String, Object>> heads = new ArrayList<>(), positions = new ArrayList<>(), tokens = new ArrayList<>(),
                layers = new ArrayList<>(), drift = new ArrayList<>();
        for (IntervalSummary s : c.intervals()) {
            for (IntervalSummary.Layer l : s.layers()) {
                layers.add(row(s, "layer", l.layer(), "uncovered_share", l.uncoveredShare(),
                        "head_overlap_jaccard", l.headOverlap(), "mean_heads_per_token", meanIndex(l.headsPerToken())));
                for (IntervalSummary.Head h : l.heads()) {
                    heads.add(row(s, "layer", l.layer(), "head", h.head(), "selections", h.selections(),
                            "first_position_share", h.firstPositionShare(), "load_entropy", h.loadEntropy(),
                            "score_selected_p10", q(h.scoreSelected(), "p10"), "score_selected_p50", q(h.scoreSelected(), "p50"),
                            "score_selected_p90", q(h.scoreSelected(), "p90"), "score_all_p10", q(h.scoreAll(), "p10"),
                            "score_all_p50", q(h.scoreAll(), "p50"), "score_all_p90", q(h.scoreAll(), "p90")));
                    for (int b = 0; b < h.positionHistogram().length; b++) {
                        positions.add(row(s, "layer", l.layer(), "head", h.head(), "bin", b, "bin_start", c.binStarts().get(b),
                                "selections", h.positionHistogram()[b]));
                    }
                    for (int r = 0; r < h.topTokens().size(); r++) {
                        IntervalSummary.TokenCount t = h.topTokens().get(r);
                        tokens.add(row(s, "layer", l.layer(), "head", h.head(), "rank", r + 1, "token", t.token(),
                                "count", t.count(), "lower", t.lower(), "upper", t.upper()));
                    }
                }
            }
        }
        for (DriftRecord d : c.drift()) {
            for (int l = 0; l < d.layerHeads().size(); l++) {
                for (int e = 0; e < d.layerHeads().get(l).size(); e++) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("round", d.round());
                    m.put("rule", d.rule());
                    m.put("layer", l);
                    m.put("head", e);
                    m.put("jaccard", d.layerHeads().get(l).get(e));
                    drift.add(m);
                }
            }
        }
        csv(fs, new Path(dir, "heads.csv"), heads, List.of("from_round", "to_round", "layer", "head", "selections",
                "first_position_share", "load_entropy", "score_selected_p10", "score_selected_p50", "score_selected_p90",
                "score_all_p10", "score_all_p50", "score_all_p90"));
        csv(fs, new Path(dir, "positions.csv"), positions, List.of("from_round", "to_round", "layer", "head", "bin",
                "bin_start", "selections"));
        csv(fs, new Path(dir, "tokens.csv"), tokens, List.of("from_round", "to_round", "layer", "head", "rank", "token",
                "count", "lower", "upper"));
        csv(fs, new Path(dir, "layers.csv"), layers, List.of("from_round", "to_round", "layer", "uncovered_share",
                "head_overlap_jaccard", "mean_heads_per_token"));
        csv(fs, new Path(dir, "drift.csv"), drift, List.of("round", "rule", "layer", "head", "jaccard"));
    }

    /** The contents of {@code dir}'s routing.json, or null when there is none. */
    public static Contents read(FileSystem fs, Path dir) throws IOException {
        Path f = new Path(dir, JSON_FILE);
        if (!fs.exists(f)) return null;
        Contents c = JSON.readValue(AtomicHadoopFiles.readString(fs, f), Contents.class);
        if (!FORMAT.equals(c.format()) || c.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException(f + ": format " + c.format() + " version " + c.formatVersion() + ", expected "
                    + FORMAT + " version " + FORMAT_VERSION + " (written by another version of mosa-spark)");
        }
        return c;
    }

    private static Map<String, Object> row(IntervalSummary s, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from_round", s.fromRound());
        m.put("to_round", s.toRound());
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    private static Object q(IntervalSummary.Scores s, String key) {
        return s == null ? "" : s.quantiles().get(key);
    }

    /** Mean of the index weighted by the counts: the mean number of heads that select a token. */
    private static double meanIndex(long[] counts) {
        double sum = 0, n = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += (double) i * counts[i];
            n += counts[i];
        }
        return n == 0 ? 0 : sum / n;
    }

    private static void csv(FileSystem fs, Path file, List<Map<String, Object>> rows, List<String> columns) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String col : columns) schema.addColumn(col);
        AtomicHadoopFiles.writeString(fs, file, CSV.writer(schema.build()).writeValueAsString(rows));
    }
}
