package io.mosaspark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code mosa report}: a run directory → {@code report.html}, one self-contained page (Chart.js inlined,
 * the data as JSON inside it: it opens offline, from disk or as an e-mail attachment), and
 * {@code report/*.png}, the main charts as images. Reads only the files the run wrote (metrics,
 * summary, routing statistics, tokenizer); works on a finished run and on one still training.
 */
public final class RunReport {
    public static final String HTML = "report.html";
    public static final String PNG_DIRECTORY = "report";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Chart.js as its WebJar ships it (version from the build: chartjs.properties). */
    private static final String CHART_JS = "META-INF/resources/webjars/chart.js/%s/dist/chart.umd.js";

    /** What was written. */
    public record Written(Path html, List<Path> pngs) {
    }

    private RunReport() {
    }

    public static Written write(Path run, Configuration hadoop) throws IOException {
        FileSystem fs = run.getFileSystem(hadoop);
        if (!fs.exists(run)) throw new IllegalArgumentException(run + " does not exist: give the --out directory of mosa train");
        RunHistory history = RunHistory.read(fs, run);
        TokenNames names = TokenNames.forRun(fs, run, hadoop);
        String title = "mosa-spark run " + run.getName()
                + (history.summary() != null && history.summary().has("model") ? ": " + history.summary().get("model").asText() : "");
        Map<String, Object> data = ReportData.of(title, history, names);

        Path html = new Path(run, HTML);
        AtomicHadoopFiles.writeString(fs, html, page(title, data));
        List<Path> pngs = new ArrayList<>();
        for (var png : ReportPngs.of(data).entrySet()) {
            Path p = new Path(new Path(run, PNG_DIRECTORY), png.getKey());
            AtomicHadoopFiles.writeBytes(fs, p, png.getValue());
            pngs.add(p);
        }
        return new Written(html, pngs);
    }

    static String page(String title, Map<String, Object> data) throws IOException {
        // inside <script> a "</" would end the element early: JSON may write it as "<\/", JavaScript reads both
        String json = JSON.writeValueAsString(data).replace("</", "<\\/");
        return resource("report.html")
                .replace("<!--@TITLE@-->", escape(title))
                .replace("<!--@CHART_JS@-->", chartJs().replace("</script", "<\\/script"))
                .replace("<!--@REPORT_JS@-->", resource("report.js"))
                .replace("<!--@DATA@-->", json);
    }

    private static String chartJs() throws IOException {
        Properties p = new Properties();
        try (InputStream in = RunReport.class.getResourceAsStream("chartjs.properties")) {
            if (in == null) throw new IllegalStateException("chartjs.properties is missing from the mosa-job jar");
            p.load(in);
        }
        String path = String.format(CHART_JS, p.getProperty("version"));
        try (InputStream in = RunReport.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is not on the classpath (the chart.js WebJar)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RunReport.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the mosa-job jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
