package io.mosaspark.train.state;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Whole-file writes on any Hadoop filesystem that a reader sees either complete or not at all: the
 * bytes go to a hidden temporary name in the same directory, which is then renamed into place. Files
 * that the model library can only write to a local path (safetensors, DL4J zips) are written to a local
 * temporary file first and uploaded the same way.
 */
public final class AtomicHadoopFiles {

    /** Writes a whole file at a local path. */
    @FunctionalInterface
    public interface LocalWriter {
        void writeTo(java.nio.file.Path file) throws IOException;
    }

    private AtomicHadoopFiles() {
    }

    public static void writeString(FileSystem fs, Path file, String text) throws IOException {
        writeBytes(fs, file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(FileSystem fs, Path file, byte[] bytes) throws IOException {
        Path tmp = temporaryFor(file);
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            replace(fs, tmp, file);
        } finally {
            fs.delete(tmp, false);
        }
    }

    /** Runs {@code writer} on a local temporary file and uploads the result atomically to {@code file}. */
    public static void writeViaLocal(FileSystem fs, Path file, LocalWriter writer) throws IOException {
        java.nio.file.Path dir = Files.createTempDirectory("mosa-upload");
        java.nio.file.Path local = dir.resolve(file.getName());
        try {
            writer.writeTo(local);
            Path tmp = temporaryFor(file);
            try {
                fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
                replace(fs, tmp, file);
            } finally {
                fs.delete(tmp, false);
            }
        } finally {
            Files.deleteIfExists(local);
            Files.deleteIfExists(dir);
        }
    }

    /** Copies {@code file} to a new local temporary file (the caller deletes it). */
    public static java.nio.file.Path download(FileSystem fs, Path file) throws IOException {
        java.nio.file.Path local = Files.createTempFile("mosa-download", "-" + file.getName());
        try (InputStream in = fs.open(file)) {
            Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return local;
    }

    public static String readString(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Hex SHA-256 of a file's bytes, streamed. */
    public static String sha256(FileSystem fs, Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(file)) {
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Path temporaryFor(Path file) {
        return new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
    }

    private static void replace(FileSystem fs, Path tmp, Path file) throws IOException {
        fs.delete(file, false); // rename does not overwrite on HDFS
        if (!fs.rename(tmp, file)) throw new IOException("cannot rename " + tmp + " to " + file);
    }
}
