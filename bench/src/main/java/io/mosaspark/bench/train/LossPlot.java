package io.mosaspark.bench.train;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Validation loss against training tokens, one line per run, as a PNG (XChart, headless). */
final class LossPlot {

    /** One run's curve: tokens (millions) and validation loss at each evaluation. */
    record Curve(String name, List<Double> millionTokens, List<Double> valLoss) {
    }

    private LossPlot() {
    }

    static void write(Path png, String title, List<Curve> curves) {
        // no display on a server: AWT must not look for one
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("training tokens (millions, all workers)").yAxisTitle("validation loss (nats/token)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE).setMarkerSize(5);
        for (Curve c : curves) {
            chart.addSeries(c.name(), c.millionTokens().stream().mapToDouble(Double::doubleValue).toArray(),
                    c.valLoss().stream().mapToDouble(Double::doubleValue).toArray());
        }
        try {
            Path parent = png.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + png + ": " + e.getMessage(), e);
        }
    }
}
