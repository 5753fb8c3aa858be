package io.mosaspark.cli;

import io.mosaspark.export.ModelExport;
import io.mosaspark.export.ModelTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import io.mosaspark.spark.SparkHadoopConf;
import io.mosaspark.train.checkpoint.TrainedModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mosa export}: a trained model as safetensors, tokenizer files and a model card. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
        description = {"Export a trained model for other tools: model.safetensors (canonical names, loads in PyTorch), the",
                "tokenizer as a tiktoken rank file and a Hugging Face tokenizer.json, and a model card (model-card.json,",
                "MODEL_CARD.md) with the preset, size, FLOPs, data, tokens seen, validation perplexity and provenance."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:exported", "1:failed (--out is left absent)", "2:invalid options or input (e.g. --out exists)"},
        footer = {"", "--out is written as a whole or not at all (a temporary directory renamed when complete)."})
public final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CheckpointOption checkpoint;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The export directory (must not exist; any Hadoop URI).")
    String out;

    @Override
    public Integer call() throws Exception {
        Configuration hadoop = SparkHadoopConf.from(new SparkConf());
        ModelExport.requireNew(out, hadoop);
        TrainedModel model = TrainedModel.open(checkpoint.directory, hadoop);
        ModelTokenizer.load(model, hadoop); // refuses a tokenizer that does not fit the model
        TokenizerSpec tokenizer = ModelTokenizer.spec(model, hadoop);
        ModelExport.Result r = ModelExport.export(model, tokenizer, out, hadoop);
        spec.commandLine().getOut().printf("exported %s to %s: %,d parameters%s%n", model.describe(), r.directory(),
                r.card().parameters(), r.card().validation() == null ? ""
                        : String.format(java.util.Locale.ROOT, ", validation perplexity %.3f", r.card().validation().perplexity()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
