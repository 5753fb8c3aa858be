package io.mosaspark.prep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * The module's one real HDFS (MiniDFSCluster, one datanode), started on first use and shared by every test
 * class like {@link SharedSpark} (a start costs seconds); a shutdown hook stops it and deletes its storage.
 * Test classes use disjoint directories.
 */
public final class MiniHdfs {
    private static MiniDFSCluster cluster;

    private MiniHdfs() {
    }

    /** The cluster's filesystem; {@code fs().getUri()} is the hdfs:// prefix for URIs. */
    public static synchronized FileSystem fs() {
        if (cluster == null) {
            try {
                Path base = Files.createTempDirectory("mosa-minidfs");
                Configuration conf = new Configuration();
                conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
                cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
                cluster.waitActive();
                MiniDFSCluster started = cluster;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> started.shutdown(true), "minidfs-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not start MiniDFSCluster", e);
            }
        }
        try {
            return cluster.getFileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
