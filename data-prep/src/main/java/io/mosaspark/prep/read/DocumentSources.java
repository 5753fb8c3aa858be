package io.mosaspark.prep.read;

import io.mosaspark.prep.InputFormat;
import io.mosaspark.prep.fs.CompressionCodecs;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;

/** Opens an input file as a {@link DocumentSource} of the configured format. */
public final class DocumentSources {
    private DocumentSources() {
    }

    public static DocumentSource open(InputFile file, InputFormat format, String textField, Configuration conf)
            throws IOException {
        if (format == InputFormat.PARQUET) {
            return new ParquetSource(file, conf, textField);
        }
        InputStream in = openDecompressed(file, conf);
        return switch (format) {
            case TEXT -> new WholeFileSource(file, in);
            case TEXT_LINES -> new TextLinesSource(file, in);
            case TEXT_PARAGRAPHS -> new TextParagraphsSource(file, in);
            case JSONL -> new JsonLinesSource(file, in, textField);
            case PARQUET -> throw new AssertionError("handled above");
        };
    }

    /** The file's bytes, decompressed by the codec its extension names (.gz, .bz2, .zst). */
    static InputStream openDecompressed(InputFile file, Configuration conf) throws IOException {
        Path path = new Path(file.uri());
        FileSystem fs = path.getFileSystem(conf);
        InputStream raw = fs.open(path);
        CompressionCodec codec = CompressionCodecs.forFile(conf, path);
        if (codec == null) {
            return raw;
        }
        try {
            return codec.createInputStream(raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
