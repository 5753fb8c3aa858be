package io.mosaspark.prep.read;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The part of an input file one task reads: the records whose first byte lies in [start, end). Large
 * uncompressed line-based files (jsonl, text-lines) are cut into byte ranges so that one huge file is
 * read by many tasks, the way Hadoop's TextInputFormat splits; everything else is read whole. Records
 * keep their offsets in the file, so documents are ordered exactly as when the file is read whole.
 *
 * @param end exclusive; {@link Long#MAX_VALUE} for a whole file
 */
public record InputSplit(InputFile file, long start, long end) implements Serializable {

    public InputSplit {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("split of " + file.uri() + ": need 0 <= start < end, got [" + start
                    + ", " + end + ")");
        }
    }

    public static InputSplit whole(InputFile file) {
        return new InputSplit(file, 0, Long.MAX_VALUE);
    }

    public boolean isWhole() {
        return start == 0 && end == Long.MAX_VALUE;
    }

    /** The splits of {@code files}, in file order: ranges of at most {@code splitBytes} where the format allows. */
    public static List<InputSplit> plan(List<InputFile> files, InputFormat format, Configuration conf, long splitBytes) {
        List<InputSplit> splits = new ArrayList<>();
        for (InputFile f : files) {
            if (f.bytes() > splitBytes && splittable(f, format, conf)) {
                for (long start = 0; start < f.bytes(); start += splitBytes) {
                    long end = start + splitBytes >= f.bytes() ? Long.MAX_VALUE : start + splitBytes;
                    splits.add(new InputSplit(f, start, end));
                }
            } else {
                splits.add(whole(f));
            }
        }
        return splits;
    }

    /** Line formats whose record boundaries can be found from any byte: uncompressed jsonl and text-lines. */
    private static boolean splittable(InputFile f, InputFormat format, Configuration conf) {
        return (format == InputFormat.JSONL || format == InputFormat.TEXT_LINES)
                && CompressionCodecs.forFile(conf, new Path(f.uri())) == null;
    }

    @Override
    public String toString() {
        return isWhole() ? file.uri() : file.uri() + " [" + start + ", " + (end == Long.MAX_VALUE ? "end" : end) + ")";
    }
}
