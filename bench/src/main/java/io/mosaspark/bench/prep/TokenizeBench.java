package io.mosaspark.bench.prep;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.bench.harness.Timing;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Tokenisation throughput of a Spark job against single-thread raw JTokkit on the same documents in
 * the same JVM. Both read documents already in memory (Spark: cached and materialised before
 * timing), both are warmed up once, the timed passes alternate (so load from other processes hits
 * both alike); the headline ratio is best pass against best pass, and the median of each Spark pass
 * against the single-thread pass run just before it is reported beside it.
 *
 * <p>Wall-clock ratios need idle cores. The CPU-time figures do not: {@code cpu_efficiency} is the
 * single thread's CPU seconds over the CPU seconds Spark's tasks spent on the same work, and
 * {@code cpu_projected_ratio} = cores x efficiency is the speed-up to expect on idle cores. The same
 * documents on as many plain Java threads ({@code raw_threads_ratio}) show what the hardware allows
 * without Spark: on a VM two vCPUs may share one physical core's caches or execution units.
 */
final class TokenizeBench implements Suite {

    /** 80% parallel efficiency on 2 cores. */
    static final double TARGET_RATIO = 1.6;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final PrepSession session;
    private final TokenizerSpec spec;
    private final Encoding raw;
    private final int repeats;

    TokenizeBench(PrepSession session, TokenizerSpec spec, int repeats) {
        this.session = session;
        this.spec = spec;
        this.raw = rawEncoding(spec);
        this.repeats = repeats;
    }

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public void run(BenchReport report) {
        BenchCorpus corpus = session.corpus();
        report.addInput(corpus.input());
        report.emit(name(), "spark-vs-jtokkit", measure(session.context(), corpus, session.partitions()).fields());
    }

    private BenchResult measure(JavaSparkContext spark, BenchCorpus corpus, int partitions) {
        List<String> documents = corpus.documents();
        JavaRDD<String> rdd = corpus.toRdd(spark, partitions).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        countRaw(raw, documents.subList(0, Math.max(1, documents.size() / 10))); // warm-up: JIT
        countSpark(rdd, spec); // warm-up: executor JIT and the per-JVM tokenizer load

        int cores = spark.defaultParallelism();
        Pass single = null;
        Pass parallel = null;
        Pass threads = null;
        List<Double> pairedRatios = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            Pass s = countRaw(raw, documents);
            Pass p = countSpark(rdd, spec);
            single = Pass.best(single, s);
            parallel = Pass.best(parallel, p);
            threads = Pass.best(threads, countRawThreads(raw, documents, cores));
            pairedRatios.add(s.seconds / p.seconds);
        }
        rdd.unpersist(true);
        if (parallel.tokens != single.tokens) {
            throw new IllegalStateException("Spark counted " + parallel.tokens + " tokens but JTokkit " + single.tokens
                    + ": the two paths do not tokenise the same text alike");
        }

        double megabytes = corpus.bytes() / 1e6;
        double sparkMbps = megabytes / parallel.seconds;
        double singleMbps = megabytes / single.seconds;
        double cpuEfficiency = single.cpuSeconds / parallel.cpuSeconds;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tokenizer", spec.toString());
        details.put("documents", documents.size());
        details.put("megabytes", megabytes);
        details.put("tokens", parallel.tokens);
        details.put("partitions", partitions);
        details.put("spark_master", spark.master());
        details.put("spark_version", spark.version());
        details.put("spark_cores", cores);
        details.put("spark_seconds", parallel.seconds);
        details.put("spark_tokens_per_s", parallel.tokens / parallel.seconds);
        details.put("spark_task_cpu_seconds", parallel.cpuSeconds);
        details.put("single_thread_seconds", single.seconds);
        details.put("single_thread_mb_per_s", singleMbps);
        details.put("single_thread_tokens_per_s", single.tokens / single.seconds);
        details.put("single_thread_cpu_seconds", single.cpuSeconds);
        details.put("cpu_efficiency", cpuEfficiency);
        // the hardware's own ceiling: plain Java threads, no Spark, same documents
        details.put("raw_threads", cores);
        details.put("raw_threads_seconds", threads.seconds);
        details.put("raw_threads_ratio", single.seconds / threads.seconds);
        details.put("spark_over_raw_threads", threads.seconds / parallel.seconds);
        details.put("cpu_projected_ratio", cores * cpuEfficiency);
        details.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        details.put("repeats", repeats);
        // each pass against the single-thread pass just before it: robust to the host's speed drifting
        // between passes (a shared VM), unlike best against best
        details.put("paired_ratios", pairedRatios);
        details.put("paired_ratio_median", Timing.median(pairedRatios));
        double ratio = sparkMbps / singleMbps;
        return new BenchResult("spark_mb_per_s", "MB/s", sparkMbps, singleMbps, ratio, TARGET_RATIO,
                ratio >= TARGET_RATIO, details);
    }

    /** JTokkit itself, without our wrapper, as a user would call it. */
    private static Encoding rawEncoding(TokenizerSpec spec) {
        if (!spec.isPretrained()) {
            throw new IllegalArgumentException("--tokenizer: the raw-JTokkit baseline needs a pretrained encoding, got "
                    + spec);
        }
        return Encodings.newLazyEncodingRegistry().getEncoding(spec.encoding().encodingName()).orElseThrow();
    }

    private static Pass countRaw(Encoding encoding, List<String> documents) {
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long tokens = 0;
        for (String doc : documents) {
            tokens += encoding.encodeOrdinary(doc).size();
        }
        return new Pass(tokens, (System.nanoTime() - start) / 1e9, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
    }

    /** JTokkit on {@code threads} plain Java threads, each taking the next document from a shared counter. */
    private static Pass countRawThreads(Encoding encoding, List<String> documents, int threads) {
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long mine = 0;
                for (int i = next.getAndIncrement(); i < documents.size(); i = next.getAndIncrement()) {
                    mine += encoding.encodeOrdinary(documents.get(i)).size();
                }
                tokens.addAndGet(mine);
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
            }, "raw-jtokkit-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while benchmarking", e);
            }
        }
        return new Pass(tokens.get(), (System.nanoTime() - start) / 1e9, cpuNanos.get() / 1e9);
    }

    private static Pass countSpark(JavaRDD<String> documents, TokenizerSpec spec) {
        long start = System.nanoTime();
        long[] totals = documents.mapPartitions((Iterator<String> docs) -> {
            long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            TextTokenizer tokenizer = spec.load();
            long tokens = 0;
            while (docs.hasNext()) {
                tokens += tokenizer.encode(docs.next()).length;
            }
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
            return List.of(new long[] {tokens, cpu}).iterator();
        }).reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        return new Pass(totals[0], (System.nanoTime() - start) / 1e9, totals[1] / 1e9);
    }

    private record Pass(long tokens, double seconds, double cpuSeconds) {
        static Pass best(Pass current, Pass candidate) {
            return current == null || candidate.seconds < current.seconds ? candidate : current;
        }
    }
}
