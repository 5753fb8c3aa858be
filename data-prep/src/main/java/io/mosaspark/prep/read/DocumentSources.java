package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;

/** Opens an input file as a {@link DocumentSource} of the configured format. */
public final class DocumentSources {
    private DocumentSources() {
    }

    /** The records of {@code split}: a whole file of any format, or a byte range of an uncompressed line format. */
    public static DocumentSource open(InputSplit split, InputFormat format, String textField, RecordSizeLimit limit,
                                      Configuration conf) throws IOException {
        if (split.isWhole()) {
            return open(split.file(), format, textField, limit, conf);
        }
        Path path = new Path(split.file().uri());
        FSDataInputStream in = path.getFileSystem(conf).open(path);
        try {
            in.seek(Math.max(0, split.start() - 1));
            return switch (format) {
                case JSONL -> new JsonLinesSource(split, in, textField, limit);
                case TEXT_LINES -> new TextLinesSource(split, in, limit);
                default -> throw new IllegalArgumentException(format + " files are read whole, not in ranges: " + split);
            };
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public static DocumentSource open(InputFile file, InputFormat format, String textField, RecordSizeLimit limit,
                                      Configuration conf) throws IOException {
        if (format == InputFormat.PARQUET) {
            return new ParquetSource(file, conf, textField, limit);
        }
        InputStream in = openDecompressed(file, conf);
        return switch (format) {
            case TEXT -> new WholeFileSource(file, in, limit);
            case TEXT_LINES -> new TextLinesSource(file, in, limit);
            case TEXT_PARAGRAPHS -> new TextParagraphsSource(file, in, limit);
            case JSONL -> new JsonLinesSource(file, in, textField, limit);
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
