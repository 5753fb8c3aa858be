package io.mosaspark.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * Ships the driver's Hadoop configuration (credentials, codecs, HDFS addresses) to executors.
 * Hand-written because Spark's own SerializableConfiguration is private to Spark; Configuration is
 * Writable, so this is the standard ten-line wrapper.
 */
public final class SerializableHadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    public SerializableHadoopConf(Configuration conf) {
        this.conf = new Configuration(conf);
    }

    public Configuration get() {
        return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
