package io.mosaspark.prep.inspect;

import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.shards.format.ShardReader;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.Reconciliation;
import io.mosaspark.shards.manifest.SplitTotals;
import io.mosaspark.shards.set.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Prints what {@code mosa inspect} shows: validity, counts per split, the reconciliation and a sample. */
public final class ShardSetSummary {
    private ShardSetSummary() {
    }

    public static void print(ValidationReport report, int sampleTokens, Configuration conf, PrintWriter out)
            throws IOException {
        out.println("shard set: " + report.directory());
        Manifest m = report.manifest();
        if (m != null) {
            out.printf("tokenizer: %s (vocab %d, eot %d, %s tokens)%n", m.tokenizer().type(),
                    m.tokenizer().vocabSize(), m.tokenizer().eotToken(), m.tokenDtype());
            for (Map.Entry<String, SplitTotals> e : m.totals().entrySet()) {
                SplitTotals t = e.getValue();
                out.printf("%-5s  shards %d  tokens %d  documents %d  bytes %d%n", e.getKey(), t.shards(), t.tokens(),
                        t.documents(), t.bytes());
            }
            Reconciliation r = m.reconciliation();
            out.printf("documents: read %d = written %d + duplicates %d + rejected %d + empty %d%s%n",
                    r.documentsRead(), r.documentsWritten(), r.duplicates(), r.rejected(), r.empty(),
                    r.balanced() ? "" : "  (DOES NOT ADD UP)");
            out.printf("pieces written %d (%d documents split); rejected by reason %s; malformed UTF-8 bytes %d%n",
                    r.piecesWritten(), r.documentsSplit(), r.rejectedReasons(), r.malformedUtf8Bytes());
            out.printf("made by %s at %s from %d files (%d bytes)%n", m.provenance().codeVersion(),
                    m.provenance().createdAt(), r.inputFiles(),
                    m.provenance().inputs().stream().mapToLong(Provenance.Input::bytes).sum());
            if (report.valid() && sampleTokens > 0 && !m.shards().isEmpty()) {
                printSample(new Path(report.directory()), m, sampleTokens, conf, out);
            }
        }
        if (report.valid()) {
            out.println("VALID");
        } else {
            out.println("INVALID:");
            report.problems().forEach(p -> out.println("  - " + p));
        }
    }

    private static void printSample(Path dir, Manifest m, int sampleTokens, Configuration conf, PrintWriter out)
            throws IOException {
        Path first = new Path(dir, m.shards().get(0).path());
        int[] tokens;
        try (ShardReader r = ShardReader.open(first, conf)) {
            tokens = new int[Math.min(sampleTokens, r.tokenCount())];
            r.read(0, tokens);
        }
        out.println("sample (" + first.getName() + ", first " + tokens.length + " tokens): " + Arrays.toString(tokens));
        TokenizerSpec spec = m.tokenizer().path() == null ? TokenizerSpec.parse(m.tokenizer().type())
                : TokenizerSpec.trained(new Path(dir, m.tokenizer().path()).toString());
        try {
            TextTokenizer tokenizer = spec.load(conf);
            int eot = m.tokenizer().eotToken();
            String text = tokenizer.decode(Arrays.stream(tokens).filter(t -> t != eot).toArray());
            out.println("decoded (EOT removed): " + text.replace("\n", "\\n"));
        } catch (RuntimeException e) {
            out.println("(cannot decode the sample: " + e.getMessage() + ")");
        }
    }
}
