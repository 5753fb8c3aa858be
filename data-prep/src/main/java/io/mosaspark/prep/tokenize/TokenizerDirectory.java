package io.mosaspark.prep.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mosaspark.provenance.Provenance;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The on-disk form of a trained tokenizer, on any Hadoop file system:
 * <ul>
 *   <li>{@code tokenizer.tiktoken}: tiktoken rank file, what JTokkit and tiktoken encode with;</li>
 *   <li>{@code tokenizer.json}: the same tokenizer for Hugging Face {@code tokenizers};</li>
 *   <li>{@code tokenizer-meta.json}: split pattern, special tokens and ids, checksums and training provenance.</li>
 * </ul>
 * Loading needs the rank file and the meta file; the checksum in the meta file must match.
 */
final class TokenizerDirectory {

    static final String RANKS = "tokenizer.tiktoken";
    static final String HUGGING_FACE = "tokenizer.json";
    static final String META = "tokenizer-meta.json";
    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerDirectory() {
    }

    /** Writes into a hidden sibling directory, then renames it into place: readers never see half a tokenizer. */
    static void save(TrainedBpe trained, String directory, Configuration hadoopConf) throws IOException {
        Path target = new Path(directory);
        FileSystem fs = fileSystem(target, hadoopConf);
        if (fs.exists(target)) {
            throw new IllegalArgumentException("tokenizer directory " + directory
                    + " already exists; choose a new directory (tokenizers are never overwritten)");
        }
        byte[] ranks = TiktokenFile.write(trained.vocabulary().tokens());
        byte[] huggingFace = HuggingFaceTokenizerJson.write(trained.vocabulary(), trained.merges());
        byte[] meta = meta(trained, ranks, huggingFace);
        Path parent = target.getParent();
        Path temp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(temp);
            write(fs, new Path(temp, RANKS), ranks);
            write(fs, new Path(temp, HUGGING_FACE), huggingFace);
            write(fs, new Path(temp, META), meta);
            if (parent != null) {
                fs.mkdirs(parent);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("Could not rename " + temp + " to " + target + " (did it appear meanwhile?)");
            }
        } finally {
            if (fs.exists(temp)) {
                fs.delete(temp, true);
            }
        }
    }

    private static byte[] meta(TrainedBpe trained, byte[] ranks, byte[] huggingFace) throws IOException {
        BpeVocabulary vocabulary = trained.vocabulary();
        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", "mosa-bpe");
        meta.put("format_version", FORMAT_VERSION);
        meta.put("type", "bpe");
        meta.put("pattern", vocabulary.pattern());
        ObjectNode specials = meta.putObject("special_tokens");
        for (String special : vocabulary.specialTokens()) {
            specials.put(special, vocabulary.specialId(special));
        }
        meta.put("eot_token", vocabulary.eotToken());
        meta.put("vocab_size", vocabulary.vocabSize());
        meta.put("ranks", vocabulary.tokens().size());
        meta.put("merges", trained.merges().size());
        ObjectNode files = meta.putObject("sha256");
        files.put(RANKS, new Sha256().update(ranks).hex());
        files.put(HUGGING_FACE, new Sha256().update(huggingFace).hex());
        meta.set("training", JSON.valueToTree(trained.provenance()));
        // the one provenance record every artifact carries (the shard set's manifest nests the same shape)
        TrainingProvenance t = trained.provenance();
        meta.set("provenance", JSON.valueToTree(Provenance.of("tokenizer", t.config(),
                List.of(new Provenance.Input(t.input(), t.inputBytes(), null)), List.of())));
        return JSON.writeValueAsBytes(meta);
    }

    static BpeVocabulary load(String directory, Configuration hadoopConf) {
        byte[] ranks = read(directory, RANKS, hadoopConf);
        byte[] metaBytes = read(directory, META, hadoopConf);
        String metaName = directory + "/" + META;
        JsonNode meta;
        try {
            meta = JSON.readTree(metaBytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(metaName + ": not valid JSON: " + e.getMessage(), e);
        }
        int version = required(meta, "format_version", metaName).asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException(metaName + ": format_version " + version + " is not supported (this "
                    + "code reads " + FORMAT_VERSION + "); retrain the tokenizer or use a matching mosa-spark version");
        }
        String recordedSha = required(required(meta, "sha256", metaName), RANKS, metaName).asText();
        String actualSha = new Sha256().update(ranks).hex();
        if (!recordedSha.equals(actualSha)) {
            throw new IllegalArgumentException(directory + "/" + RANKS + " has SHA-256 " + actualSha + " but " + metaName
                    + " records " + recordedSha + ": the rank file was changed after training; restore it or retrain");
        }
        List<byte[]> tokens = TiktokenFile.read(ranks, directory + "/" + RANKS);
        List<String> specials = new ArrayList<>();
        JsonNode specialIds = required(meta, "special_tokens", metaName);
        int expectedId = tokens.size();
        for (var it = specialIds.fields(); it.hasNext(); expectedId++) {
            var entry = it.next();
            if (entry.getValue().asInt(-1) != expectedId) {
                throw new IllegalArgumentException(metaName + ": special token " + entry.getKey() + " has id "
                        + entry.getValue() + " but special tokens must follow the " + tokens.size()
                        + " ranks in order (expected " + expectedId + ")");
            }
            specials.add(entry.getKey());
        }
        try {
            return new BpeVocabulary(required(meta, "pattern", metaName).asText(), tokens, specials);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(directory + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 over tokenizer.tiktoken then tokenizer.json: together they define the tokenizer. */
    static String sha256(String directory, Configuration hadoopConf) {
        return new Sha256().update(read(directory, RANKS, hadoopConf))
                .update(read(directory, HUGGING_FACE, hadoopConf))
                .hex();
    }

    private static JsonNode required(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(source + ": missing field '" + field + "'");
        }
        return value;
    }

    /**
     * Local directories without Hadoop's hidden .crc side files: other tools read this directory, and
     * the SHA-256 in the meta file already guards the rank file.
     */
    private static FileSystem fileSystem(Path path, Configuration hadoopConf) throws IOException {
        FileSystem fs = path.getFileSystem(hadoopConf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    private static void write(FileSystem fs, Path path, byte[] content) throws IOException {
        try (OutputStream out = fs.create(path, false)) {
            out.write(content);
        }
    }

    /** One of the directory's files, as stored (the caller checks it, e.g. through {@link #load} and {@link #sha256}). */
    static byte[] file(String directory, String file, Configuration hadoopConf) {
        return read(directory, file, hadoopConf);
    }

    private static byte[] read(String directory, String file, Configuration hadoopConf) {
        Path path = new Path(directory, file);
        try {
            FileSystem fs = fileSystem(path, hadoopConf);
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("tokenizer: no " + file + " in " + directory + "; give a directory "
                    + "written by the BPE trainer or one of " + PretrainedEncoding.names(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + path, e);
        }
    }
}
