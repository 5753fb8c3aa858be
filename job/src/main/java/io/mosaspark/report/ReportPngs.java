package io.mosaspark.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's main charts as PNG images (XChart, headless), for places that show no HTML: from the
 * same series as the page ({@link ReportData}). Name → PNG bytes.
 */
final class ReportPngs {
    private static final int WIDTH = 900, HEIGHT = 520;

    private ReportPngs() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, byte[]> of(Map<String, Object> data) throws IOException {
        // no display on a server: AWT must not look for one
        System.setProperty("java.awt.headless", "true");
        Map<String, byte[]> out = new LinkedHashMap<>();
        Map<String, List<Object>> r = (Map<String, List<Object>>) data.get("rounds");
        Map<String, List<Object>> e = (Map<String, List<Object>>) data.get("evaluations");

        XYChart loss = xy("Loss", "global step", "loss (nats/token)");
        series(loss, "training (mean over workers)", r.get("step"), r.get("train_loss"));
        series(loss, "validation", e.get("step"), e.get("val_loss"));
        out.put("loss.png", png(loss));

        XYChart throughput = xy("Throughput", "round", "training tokens/s (all workers)");
        series(throughput, "tokens/s", r.get("round"), r.get("tokens_per_s"));
        out.put("throughput.png", png(throughput));

        if (!r.get("round").isEmpty()) {
            CategoryChart split = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Round time")
                    .xAxisTitle("round").yAxisTitle("seconds").build();
            split.getStyler().setStacked(true);
            split.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            split.getStyler().setXAxisMaxLabelCount(20);
            List<Object> rounds = r.get("round");
            split.addSeries("compute (slowest worker)", numbers(rounds), numbers(r.get("compute_s")));
            split.addSeries("averaging (driver)", numbers(rounds), numbers(r.get("averaging_s")));
            split.addSeries("scheduling and transfer", numbers(rounds), numbers(r.get("scheduling_s")));
            out.put("round-time.png", png(split));
        }

        Map<String, Object> routing = (Map<String, Object>) data.get("routing");
        if (routing != null) {
            List<Object> ends = (List<Object>) routing.get("interval_end");
            XYChart coverage = xy("Coverage: share of tokens no head selects", "round (end of interval)", "share");
            XYChart overlap = xy("Head overlap: mean Jaccard of two heads' selections", "round (end of interval)", "Jaccard");
            for (Map<String, Object> l : (List<Map<String, Object>>) routing.get("layers")) {
                series(coverage, "layer " + l.get("layer"), ends, (List<Object>) l.get("uncovered_share"));
                series(overlap, "layer " + l.get("layer"), ends, (List<Object>) l.get("head_overlap_jaccard"));
            }
            out.put("coverage.png", png(coverage));
            out.put("head-overlap.png", png(overlap));
            Map<String, Object> drift = (Map<String, Object>) routing.get("drift");
            List<Object> driftRounds = (List<Object>) drift.get("round");
            if (!driftRounds.isEmpty()) {
                XYChart d = xy("Replica drift (" + drift.get("rule") + ")", "round", "Jaccard, worker vs averaged model");
                series(d, "all layers", driftRounds, (List<Object>) drift.get("mean"));
                List<List<Object>> layers = (List<List<Object>>) drift.get("layers");
                for (int i = 0; i < layers.size(); i++) series(d, "layer " + i, driftRounds, layers.get(i));
                out.put("replica-drift.png", png(d));
            }
        }
        return out;
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(4);
        return c;
    }

    /** Adds the points whose y is known; a series with none is left out (XChart refuses empty ones). */
    private static void series(XYChart chart, String name, List<Object> xs, List<Object> ys) {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (int i = 0; i < Math.min(xs.size(), ys.size()); i++) {
            if (ys.get(i) instanceof Number n && Double.isFinite(n.doubleValue())) {
                x.add(((Number) xs.get(i)).doubleValue());
                y.add(n.doubleValue());
            }
        }
        if (!x.isEmpty()) chart.addSeries(name, x.stream().mapToDouble(Double::doubleValue).toArray(),
                y.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static List<Number> numbers(List<Object> values) {
        List<Number> out = new ArrayList<>();
        for (Object v : values) out.add(v instanceof Number n ? n : 0);
        return out;
    }

    private static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
