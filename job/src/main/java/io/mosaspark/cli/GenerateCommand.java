package io.mosaspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.export.ModelTokenizer;
import io.mosaspark.model.generate.Generator;
import io.mosaspark.model.generate.Sampler;
import io.mosaspark.model.generate.Sampling;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.spark.SparkHadoopConf;
import io.mosaspark.train.checkpoint.ModelFiles;
import io.mosaspark.train.checkpoint.TrainedModel;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mosa generate}: text from a trained model, streamed to stdout token by token. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
        description = {"Sample text from a trained model, one token at a time, printed as it is decoded. Each step runs the",
                "model on the prefix (its last seq_len tokens), so every MoSA head picks k = clamp(floor(T/rho), 2, T) of",
                "the T prefix tokens; see docs/commands.md for how that differs from training. Runs in this JVM (no Spark)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:generated", "1:failed", "2:invalid options or input (e.g. a sampling parameter out of range)"})
public final class GenerateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CheckpointOption checkpoint;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Text to continue (longer than seq_len tokens: its last seq_len). Default: empty, which starts from end-of-text.")
    String prompt = "";

    @Option(names = "--temperature", paramLabel = "X", description = "Softmax temperature; 0 = greedy (argmax). Default: ${DEFAULT-VALUE}.")
    double temperature = 1.0;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most likely tokens (0: all). Default: ${DEFAULT-VALUE}.")
    int topK = 0;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus: the smallest most-likely set with probability >= P (1: all). Default: ${DEFAULT-VALUE}.")
    double topP = 1.0;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sampling; the same seed and prompt give the same text. Default: ${DEFAULT-VALUE}.")
    long seed = 0;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens to generate at most (stops earlier at end-of-text). Default: ${DEFAULT-VALUE}.")
    int maxTokens = 100;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write a JSON record (prompt and generated ids, text, settings) here.")
    String out;

    @Override
    public Integer call() throws Exception {
        Sampling sampling = new Sampling(temperature, topK, topP, seed); // refuses values out of range first
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens = " + maxTokens + ": must be >= 1");
        Configuration hadoop = SparkHadoopConf.from(new SparkConf());
        TrainedModel model = TrainedModel.open(checkpoint.directory, hadoop);
        TextTokenizer tokenizer = ModelTokenizer.load(model, hadoop);
        ComputationGraph graph = new ModelFiles(model.config()).network(model.readParams(hadoop));
        Generator generator = new Generator(graph, model.config().model(), tokenizer.vocabSize());

        int[] encoded = tokenizer.encode(prompt);
        int[] start = encoded.length == 0 ? new int[] {tokenizer.eotToken()} : encoded;
        int[] context = generator.context(start);
        PrintWriter stdout = spec.commandLine().getOut();
        Utf8Pieces text = new Utf8Pieces();
        long t0 = System.nanoTime();
        int[] generated = generator.generate(context, maxTokens, new Sampler(sampling), tokenizer.eotToken(), id -> {
            if (id == tokenizer.eotToken()) return; // the stop, not text
            stdout.print(text.add(tokenizer.decodeBytes(new int[] {id})));
            stdout.flush();
        });
        stdout.println(text.rest());
        stdout.flush();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(java.util.Locale.ROOT, "mosa generate: %d tokens in %.2f s from %s (prompt %d tokens, context %d)%n",
                generated.length, seconds, model.describe(), encoded.length, context.length);
        if (out != null) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("checkpoint", model.directory().toString());
            record.put("prompt", prompt);
            record.put("context_tokens", context);
            record.put("generated_tokens", generated);
            record.put("text", tokenizer.decode(Arrays.stream(generated).filter(t -> t != tokenizer.eotToken()).toArray()));
            record.put("stopped_at_end_of_text", generated.length > 0 && generated[generated.length - 1] == tokenizer.eotToken());
            record.put("sampling", sampling);
            record.put("seconds", seconds);
            Path file = new Path(out);
            AtomicHadoopFiles.writeString(file.getFileSystem(hadoop), file, JSON.writeValueAsString(record) + "\n");
        }
        return ExitCodes.OK;
    }

    /**
     * A token may end inside a multi-byte character (byte-level BPE): text is released up to the last
     * complete character, the rest waits for the next token.
     */
    static final class Utf8Pieces {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        String add(byte[] bytes) {
            pending.writeBytes(bytes);
            byte[] all = pending.toByteArray();
            int complete = completePrefix(all);
            pending.reset();
            pending.write(all, complete, all.length - complete);
            return new String(all, 0, complete, StandardCharsets.UTF_8);
        }

        /** Whatever is left (an incomplete character decodes as U+FFFD). */
        String rest() {
            String s = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            return s;
        }

        private static int completePrefix(byte[] b) {
            // look back over at most 3 bytes for the lead byte of a sequence not yet finished
            for (int back = 1; back <= Math.min(3, b.length); back++) {
                int lead = b[b.length - back] & 0xFF;
                if ((lead & 0xC0) == 0x80) continue; // a continuation byte
                int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
                return length > back ? b.length - back : b.length;
            }
            return b.length;
        }
    }
}
