package io.mosaspark.report;

import io.mosaspark.train.report.RoundRecord;
import io.mosaspark.train.routing.DriftRecord;
import io.mosaspark.train.routing.IntervalSummary;
import io.mosaspark.train.routing.RoutingFiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A run's history reduced to the series the report draws: the same numbers feed the page's charts (as
 * JSON) and the PNGs, so the two never disagree.
 */
final class ReportData {

    private ReportData() {
    }

    /** The page's data: {@code title, summary, rounds, evaluations, routing} (routing null when not collected). */
    static Map<String, Object> of(String title, RunHistory h, TokenNames names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("summary", h.summary() == null ? null : summary(h));
        List<RoundRecord> rounds = h.rounds(), evals = h.evaluations();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("round", column(rounds, RoundRecord::round));
        r.put("step", column(rounds, RoundRecord::globalStep));
        r.put("train_loss", column(rounds, RoundRecord::trainLoss));
        r.put("tokens_per_s", column(rounds, RoundRecord::tokensPerSecond));
        r.put("compute_s", column(rounds, RoundRecord::computeSeconds));
        r.put("averaging_s", column(rounds, RoundRecord::averagingSeconds));
        r.put("scheduling_s", column(rounds, RoundRecord::schedulingSeconds));
        r.put("routing_s", column(rounds, RoundRecord::routingSeconds));
        m.put("rounds", r);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("round", column(evals, RoundRecord::round));
        e.put("step", column(evals, RoundRecord::globalStep));
        e.put("val_loss", column(evals, RoundRecord::valLoss));
        e.put("val_perplexity", column(evals, RoundRecord::valPerplexity));
        m.put("evaluations", e);
        m.put("routing", h.routing() == null || h.routing().intervals().isEmpty() ? null : routing(h.routing(), names));
        return m;
    }

    private static Map<String, Object> summary(RunHistory h) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String k : List.of("run", "model", "parameters", "rounds", "global_steps", "tokens_seen", "val_loss",
                "val_perplexity", "wall_s")) {
            if (h.summary().has(k)) s.put(k, h.summary().get(k));
        }
        return s;
    }

    private static Map<String, Object> routing(RoutingFiles.Contents c, TokenNames names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", c.shape());
        m.put("bin_starts", c.binStarts());
        m.put("routing_every", c.routingEvery());
        List<IntervalSummary> intervals = c.intervals();
        m.put("interval_end", intervals.stream().map(IntervalSummary::toRound).toList());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int l = 0; l < c.shape().layers(); l++) {
            final int layer = l;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", l);
            row.put("uncovered_share", intervals.stream().map(s -> s.layers().get(layer).uncoveredShare()).toList());
            row.put("head_overlap_jaccard", intervals.stream().map(s -> s.layers().get(layer).headOverlap()).toList());
            layers.add(row);
        }
        m.put("layers", layers);
        IntervalSummary last = intervals.get(intervals.size() - 1);
        Map<String, Object> lastM = new LinkedHashMap<>();
        lastM.put("from_round", last.fromRound());
        lastM.put("to_round", last.toRound());
        List<Map<String, Object>> lastLayers = new ArrayList<>();
        for (IntervalSummary.Layer l : last.layers()) {
            List<Map<String, Object>> heads = new ArrayList<>();
            for (IntervalSummary.Head hd : l.heads()) {
                Map<String, Object> head = new LinkedHashMap<>();
                head.put("head", hd.head());
                head.put("position_histogram", hd.positionHistogram());
                head.put("first_position_share", hd.firstPositionShare());
                head.put("load_entropy", hd.loadEntropy());
                head.put("score_selected", hd.scoreSelected() == null ? null : hd.scoreSelected().quantiles());
                head.put("score_all", hd.scoreAll() == null ? null : hd.scoreAll().quantiles());
                List<Map<String, Object>> tokens = new ArrayList<>();
                for (IntervalSummary.TokenCount t : hd.topTokens()) {
                    Map<String, Object> tok = new LinkedHashMap<>();
                    tok.put("id", t.token());
                    tok.put("text", names == null ? null : names.name(t.token()));
                    tok.put("share", hd.selections() == 0 ? 0 : (double) t.count() / hd.selections());
                    tok.put("count", t.count());
                    tok.put("lower", t.lower());
                    tok.put("upper", t.upper());
                    tokens.add(tok);
                }
                head.put("tokens", tokens);
                heads.add(head);
            }
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("layer", l.layer());
            lm.put("uncovered_share", l.uncoveredShare());
            lm.put("head_overlap_jaccard", l.headOverlap());
            lm.put("heads", heads);
            lastLayers.add(lm);
        }
        lastM.put("layers", lastLayers);
        m.put("last", lastM);
        List<DriftRecord> drift = c.drift();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rule", drift.isEmpty() ? null : drift.get(0).rule());
        d.put("round", drift.stream().map(DriftRecord::round).toList());
        d.put("mean", drift.stream().map(DriftRecord::jaccard).toList());
        List<List<Double>> byLayer = new ArrayList<>();
        for (int l = 0; l < c.shape().layers(); l++) {
            final int layer = l;
            byLayer.add(drift.stream().map(x -> x.layerHeads().get(layer).stream().mapToDouble(Double::doubleValue)
                    .average().orElse(Double.NaN)).toList());
        }
        d.put("layers", byLayer);
        m.put("drift", d);
        return m;
    }

    private static <T> List<T> column(List<RoundRecord> records, Function<RoundRecord, T> f) {
        List<T> out = new ArrayList<>(records.size());
        for (RoundRecord r : records) out.add(f.apply(r));
        return out;
    }
}
