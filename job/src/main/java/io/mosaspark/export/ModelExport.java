package io.mosaspark.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.prep.tokenize.TokenizerFiles;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.checkpoint.ModelFiles;
import io.mosaspark.train.checkpoint.TrainedModel;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code mosa export} as a library call: a trained model as a self-contained directory for other tools.
 *
 * <pre>
 * OUT/
 *   model.safetensors     the weights under the canonical names; __metadata__: format, config, provenance
 *   config.json           the model config (the same JSON as in the safetensors metadata)
 *   tokenizer.tiktoken    the tokenizer's rank file (tiktoken, JTokkit)
 *   tokenizer.json        the same tokenizer for Hugging Face tokenizers
 *   tokenizer-meta.json   a trained tokenizer's split pattern, special tokens, checksums (trained BPE only)
 *   model-card.json       {@link ModelCard}
 *   MODEL_CARD.md         the card for people
 * </pre>
 *
 * Everything is written into a hidden sibling directory that is renamed to OUT when complete, so OUT
 * either does not exist or is a whole export; an existing OUT is refused, never overwritten.
 */
public final class ModelExport {
    public static final String ARTIFACT = "export";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelExport() {
    }

    /** What an export wrote. */
    public record Result(Path directory, ModelCard card) {
    }

    /** Refuses an existing {@code out} before anything is read or written. */
    public static void requireNew(String out, Configuration hadoop) throws IOException {
        Path target = new Path(out);
        if (target.getFileSystem(hadoop).exists(target)) {
            throw new IllegalArgumentException("--out " + out + " exists: export into a new directory (an export is never overwritten)");
        }
    }

    public static Result export(TrainedModel model, TokenizerSpec tokenizer, String out, Configuration hadoop) throws IOException {
        requireNew(out, hadoop);
        Path target = new Path(out);
        FileSystem fs = withoutChecksumFiles(target.getFileSystem(hadoop));
        Path parent = target.getParent();
        Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(tmp);
            Map<String, String> files = new LinkedHashMap<>();
            String weightsSha = AtomicHadoopFiles.sha256(model.weights().getFileSystem(hadoop), model.weights());
            Provenance provenance = Provenance.of(ARTIFACT,
                    Map.of("checkpoint", model.directory().toString(), "weights", model.describe()),
                    List.of(new Provenance.Input(model.weights().toString(),
                            model.weights().getFileSystem(hadoop).getFileStatus(model.weights()).getLen(), weightsSha)),
                    List.of(model.provenance()));

            new ModelFiles(model.config()).writeSafeTensors(fs, new Path(tmp, "model.safetensors"),
                    model.readParams(hadoop), provenance);
            files.put("model.safetensors", AtomicHadoopFiles.sha256(fs, new Path(tmp, "model.safetensors")));
            write(fs, new Path(tmp, "config.json"), JSON.writeValueAsBytes(model.config().model()), files);
            for (Map.Entry<String, byte[]> f : TokenizerFiles.portable(tokenizer, hadoop).entrySet()) {
                write(fs, new Path(tmp, f.getKey()), f.getValue(), files);
            }
            ModelCard card = ModelCard.of(model, files, provenance);
            write(fs, new Path(tmp, "model-card.json"), JSON.writeValueAsBytes(card), null);
            write(fs, new Path(tmp, "MODEL_CARD.md"), card.markdown().getBytes(StandardCharsets.UTF_8), null);
            if (parent != null) fs.mkdirs(parent);
            if (fs.exists(target) || !fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target + " (did it appear meanwhile?)");
            }
            return new Result(target, card);
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, true);
        }
    }

    private static void write(FileSystem fs, Path file, byte[] content, Map<String, String> hashes) throws IOException {
        try (FSDataOutputStream o = fs.create(file, false)) {
            o.write(content);
        }
        if (hashes != null) hashes.put(file.getName(), AtomicHadoopFiles.sha256(fs, file));
    }

    /** Other tools read this directory: no Hadoop .crc side files on a local disk. */
    private static FileSystem withoutChecksumFiles(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }
}
