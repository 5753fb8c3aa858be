package io.mosaspark.prep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import org.apache.hadoop.conf.Configuration;

/**
 * The module's one real S3 endpoint: S3Proxy (an S3 API server; Apache jclouds' in-memory backend) in a
 * child JVM, started on first use and shared like {@link MiniHdfs}. It speaks the
 * S3 REST protocol with AWS v2/v4 signatures, so S3A talks to it exactly as to S3 or MinIO. A child JVM
 * because its Jetty 11 and jclouds do not belong on Spark's classpath; the build copies its self-contained
 * jar to {@code target/s3proxy} (system property {@code mosa.test.s3proxy.jar}).
 */
public final class S3Server {
    public static final String BUCKET = "mosa-test";
    /** A second bucket, for tests that need one no cached S3A client has touched yet. */
    public static final String OTHER_BUCKET = "mosa-test-other";
    private static final String ACCESS_KEY = "mosa-access";
    private static final String SECRET_KEY = "mosa-secret-key";

    private static Process process;
    private static int port;

    private S3Server() {
    }

    /** The {@code fs.s3a.*} settings that point S3A at the server (starting it if needed). */
    public static synchronized Map<String, String> s3aSettings() {
        if (process == null) {
            start();
        }
        return Map.of(
                "fs.s3a.endpoint", "http://127.0.0.1:" + port,
                "fs.s3a.endpoint.region", "us-east-1",
                "fs.s3a.path.style.access", "true",
                "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.access.key", ACCESS_KEY,
                "fs.s3a.secret.key", SECRET_KEY,
                "fs.s3a.attempts.maximum", "2",
                "fs.s3a.retry.limit", "2",
                // the Hadoop >= 3.3.1 recommended mode: no marker deletes after every write
                "fs.s3a.directory.marker.retention", "keep");
    }

    /** {@code conf} with {@link #s3aSettings()} applied. */
    public static Configuration configure(Configuration conf) {
        s3aSettings().forEach(conf::set);
        return conf;
    }

    private static void start() {
        String jar = System.getProperty("mosa.test.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar + " (system property mosa.test.s3proxy.jar):"
                    + " run the tests through Maven, which copies it to data-prep/target/s3proxy/");
        }
        try {
            Path base = Files.createTempDirectory("mosa-s3proxy");
            port = freePort();
            Path properties = base.resolve("s3proxy.properties");
            Files.write(properties, List.of(
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=transient"));
            String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "--properties", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("s3proxy.log").toFile())
                    .start();
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "s3proxy-shutdown"));
            awaitListening(base.resolve("s3proxy.log"));
            createBucket();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Proxy", e);
        }
    }

    /** Through the AWS SDK that S3A itself uses (S3A never creates buckets). */
    private static void createBucket() {
        AmazonS3 client = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration("http://127.0.0.1:" + port, "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
                .build();
        try {
            client.createBucket(BUCKET);
            client.createBucket(OTHER_BUCKET);
        } finally {
            client.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(Path log) throws IOException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 120 s:\n" + Files.readString(log));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
