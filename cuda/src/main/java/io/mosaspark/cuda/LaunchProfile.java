package io.mosaspark.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a step's time goes, launch by launch: for every kernel (by name) and product (by shape), how
 * often it ran, the host time its call took and the GPU time between CUDA events recorded around it.
 * A step whose GPU time is far below its wall time is waiting for the host to issue launches.
 *
 * <p>The events cost host time of their own, so a profiled step is slower than a plain one; the GPU
 * times stay exact. Events are pooled and reused from step to step.
 */
final class LaunchProfile implements AutoCloseable {
    private final List<CUevent_st> events = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final List<Long> hostNanos = new ArrayList<>();
    private final Map<String, double[]> totals = new LinkedHashMap<>();   // label → {calls, host ms, gpu ms}
    private int steps;

    /** Records the start event of the next launch; returns the host clock to pass to {@link #end}. */
    long begin(CUstream_st stream) {
        int i = 2 * labels.size();
        while (events.size() < i + 2) {
            CUevent_st e = new CUevent_st();
            CudaError.runtime(cudart.cudaEventCreate(e), "cudaEventCreate");
            events.add(e);
        }
        CudaError.runtime(cudart.cudaEventRecord(events.get(i), stream), "cudaEventRecord");
        return System.nanoTime();
    }

    void end(CUstream_st stream, String label, long hostStart) {
        long host = System.nanoTime() - hostStart;
        int i = 2 * labels.size();
        CudaError.runtime(cudart.cudaEventRecord(events.get(i + 1), stream), "cudaEventRecord");
        labels.add(label);
        hostNanos.add(host);
    }

    /** Ends a step: waits for its launches and adds their times to the totals. */
    void endStep() {
        CudaError.runtime(cudart.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
        float[] ms = new float[1];
        for (int j = 0; j < labels.size(); j++) {
            CudaError.runtime(cudart.cudaEventElapsedTime(ms, events.get(2 * j), events.get(2 * j + 1)), "cudaEventElapsedTime");
            double[] t = totals.computeIfAbsent(labels.get(j), l -> new double[3]);
            t[0]++;
            t[1] += hostNanos.get(j) / 1e6;
            t[2] += ms[0];
        }
        labels.clear();
        hostNanos.clear();
        steps++;
    }

    /**
     * Per step: the launches, their summed host and GPU milliseconds, and each label's share, the
     * largest GPU time first.
     */
    Map<String, Object> report() {
        double hostMs = 0, gpuMs = 0, calls = 0;
        for (double[] t : totals.values()) {
            calls += t[0];
            hostMs += t[1];
            gpuMs += t[2];
        }
        int s = Math.max(1, steps);
        List<Map<String, Object>> rows = new ArrayList<>();
        totals.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[2]))
                .forEach(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("label", e.getKey());
                    row.put("calls_per_step", e.getValue()[0] / s);
                    row.put("host_ms_per_step", e.getValue()[1] / s);
                    row.put("gpu_ms_per_step", e.getValue()[2] / s);
                    rows.add(row);
                });
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("steps", steps);
        r.put("launches_per_step", calls / s);
        r.put("host_ms_per_step", hostMs / s);
        r.put("gpu_ms_per_step", gpuMs / s);
        r.put("by_label", rows);
        return r;
    }

    @Override
    public void close() {
        events.forEach(cudart::cudaEventDestroy);
        events.clear();
    }
}
