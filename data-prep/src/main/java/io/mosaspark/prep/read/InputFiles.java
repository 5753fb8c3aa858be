package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Expands the {@code --input} paths and globs into a sorted, de-duplicated file list. Only the
 * Hadoop FileSystem API is used, so s3a:// works whenever hadoop-aws is on the classpath. Directories
 * are listed recursively; names starting with '_' or '.' are skipped as Hadoop does (_SUCCESS, .crc).
 */
public final class InputFiles {
    private InputFiles() {
    }

    public static List<InputFile> expand(List<String> inputs, Configuration conf) {
        TreeMap<String, Long> found = new TreeMap<>();
        for (String input : inputs) {
            // Counted per input, not by growth of the union: an input overlapping an earlier one still matched.
            TreeMap<String, Long> matched = new TreeMap<>();
            try {
                Path pattern = new Path(input);
                FileSystem fs = pattern.getFileSystem(conf);
                FileStatus[] matches = fs.globStatus(pattern);
                if (matches != null) {
                    for (FileStatus m : matches) {
                        addFiles(fs, m, matched);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("--input '" + input + "': cannot list it: " + e.getMessage(), e);
            }
            found.putAll(matched);
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("--input '" + input
                        + "' matched no files (check the path, the glob and the filesystem scheme)");
            }
        }
        List<InputFile> files = new ArrayList<>(found.size());
        found.forEach((uri, bytes) -> files.add(new InputFile(files.size(), uri, bytes)));
        return files;
    }

    private static void addFiles(FileSystem fs, FileStatus status, TreeMap<String, Long> found)
            throws IOException {
        if (isHidden(status.getPath())) {
            return;
        }
        if (status.isFile()) {
            found.put(status.getPath().toString(), status.getLen());
            return;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(status.getPath(), true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            if (!isHidden(f.getPath()) && !hasHiddenParent(f.getPath(), status.getPath())) {
                found.put(f.getPath().toString(), f.getLen());
            }
        }
    }

    private static boolean hasHiddenParent(Path file, Path root) {
        for (Path p = file.getParent(); p != null && !p.equals(root); p = p.getParent()) {
            if (isHidden(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHidden(Path p) {
        String n = p.getName();
        return n.startsWith("_") || n.startsWith(".");
    }
}
