package io.mosaspark.model.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (https://huggingface.co/docs/safetensors): u64 little-endian header
 * length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {str: str}}, then the
 * raw little-endian tensor bytes.
 *
 * <p>Written by hand because no maintained Java library on Maven Central reads and writes it
 * without pulling in a whole inference engine; the format is one page long and Jackson parses the
 * header.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20;

    /** One tensor as stored: dtype name of the format, shape, and its little-endian bytes. */
    public record Tensor(String name, String dtype, long[] shape, ByteBuffer data) {
        public long length() {
            return Arrays.stream(shape).reduce(1L, (a, b) -> a * b);
        }

        /** The values as a new ND4J array of the given type (F64, F32, BF16, I64, I32 stored). */
        public INDArray toArray(DataType type) {
            double[] values = toDoubles();
            long[] s = shape.length == 0 ? new long[]{1} : shape;
            return Nd4j.create(values, s, DataType.DOUBLE).castTo(type);
        }

        /** The values as doubles, row-major (F64, F32, BF16, I64, I32 stored); needs no ND4J backend. */
        public double[] toDoubles() {
            int n = Math.toIntExact(length());
            double[] values = new double[n];
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                values[i] = switch (dtype) {
                    case "F64" -> b.getDouble();
                    case "F32" -> b.getFloat();
                    case "I64" -> b.getLong();
                    case "I32" -> b.getInt();
                    case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    default -> throw new IllegalStateException("tensor " + name + ": unsupported dtype " + dtype);
                };
            }
            return values;
        }

        public long[] toLongs() {
            int n = Math.toIntExact(length());
            long[] out = new long[n];
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (dtype) {
                    case "I64" -> b.getLong();
                    case "I32" -> b.getInt();
                    default -> throw new IllegalStateException("tensor " + name + ": expected an integer dtype, got " + dtype);
                };
            }
            return out;
        }
    }

    /** A whole file: its tensors in file order and its {@code __metadata__}. */
    public record Contents(Path source, Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Tensor require(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' is missing (file has "
                        + new TreeMap<>(tensors).keySet() + ")");
            }
            return t;
        }

        /** The named tensor, checked to have exactly {@code expectedShape}. */
        public INDArray require(String name, DataType type, long... expectedShape) {
            Tensor t = require(name);
            if (!Arrays.equals(t.shape(), expectedShape)) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expectedShape));
            }
            return t.toArray(type);
        }

        public boolean has(String name) {
            return tensors.containsKey(name);
        }
    }

    private SafeTensors() {
    }

    public static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 8) throw new IOException(file + ": not a safetensors file (shorter than 8 bytes)");
        long headerLen = buf.getLong();
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > all.length) {
            throw new IOException(file + ": not a safetensors file (header length " + headerLen + " of a "
                    + all.length + "-byte file)");
        }
        String headerJson = new String(all, 8, (int) headerLen, StandardCharsets.UTF_8);
        Map<String, Object> header;
        try {
            header = JSON.readValue(headerJson, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (IOException e) {
            throw new IOException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        int dataStart = 8 + (int) headerLen;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                ((Map<?, ?>) e.getValue()).forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                continue;
            }
            Map<?, ?> info = (Map<?, ?>) e.getValue();
            String dtype = (String) info.get("dtype");
            long[] shape = ((java.util.List<?>) info.get("shape")).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
            java.util.List<?> offsets = (java.util.List<?>) info.get("data_offsets");
            long begin = ((Number) offsets.get(0)).longValue();
            long end = ((Number) offsets.get(1)).longValue();
            if (begin < 0 || end < begin || dataStart + end > all.length) {
                throw new IOException(file + ": tensor '" + e.getKey() + "' has data_offsets [" + begin + ", " + end
                        + "] outside the file's " + (all.length - dataStart) + " data bytes");
            }
            ByteBuffer slice = ByteBuffer.wrap(all, dataStart + (int) begin, (int) (end - begin)).slice();
            Tensor t = new Tensor(e.getKey(), dtype, shape, slice);
            long expectBytes = t.length() * bytesPer(dtype, file, e.getKey());
            if (expectBytes != end - begin) {
                throw new IOException(file + ": tensor '" + e.getKey() + "' of shape " + Arrays.toString(shape) + " and dtype "
                        + dtype + " needs " + expectBytes + " bytes but has " + (end - begin));
            }
            tensors.put(e.getKey(), t);
        }
        return new Contents(file, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    /**
     * Writes {@code tensors} (in the map's order) as F32 or F64 following each array's data type,
     * integers as I64/I32, atomically: to a temporary file first, then renamed over {@code file}.
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new TreeMap<>(metadata));
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue();
            String dtype = dtypeOf(a.dataType(), e.getKey());
            long bytes = a.length() * bytesPer(dtype, file, e.getKey());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtype);
            info.put("shape", a.shape());
            info.put("data_offsets", new long[]{offset, offset + bytes});
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        // The format allows trailing spaces; pad so tensor data starts 8-byte aligned.
        int padded = (headerBytes.length + 7) / 8 * 8;
        byte[] h = Arrays.copyOf(headerBytes, padded);
        Arrays.fill(h, headerBytes.length, padded, (byte) ' ');

        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
                out.write(len.array());
                out.write(h);
                for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
                    out.write(littleEndianBytes(e.getValue()));
                }
            }
        });
    }

    private static byte[] littleEndianBytes(INDArray a) {
        INDArray c = a.dup('c');
        long n = c.length();
        ByteBuffer b;
        switch (c.dataType()) {
            case DOUBLE -> {
                b = ByteBuffer.allocate(Math.toIntExact(n * 8)).order(ByteOrder.LITTLE_ENDIAN);
                for (double v : c.data().asDouble()) b.putDouble(v);
            }
            case FLOAT -> {
                b = ByteBuffer.allocate(Math.toIntExact(n * 4)).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : c.data().asFloat()) b.putFloat(v);
            }
            case LONG -> {
                b = ByteBuffer.allocate(Math.toIntExact(n * 8)).order(ByteOrder.LITTLE_ENDIAN);
                for (long v : c.data().asLong()) b.putLong(v);
            }
            case INT -> {
                b = ByteBuffer.allocate(Math.toIntExact(n * 4)).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : c.data().asInt()) b.putInt(v);
            }
            default -> throw new IllegalArgumentException("cannot write data type " + c.dataType() + " to safetensors");
        }
        return b.array();
    }

    private static String dtypeOf(DataType t, String name) {
        return switch (t) {
            case DOUBLE -> "F64";
            case FLOAT -> "F32";
            case LONG -> "I64";
            case INT -> "I32";
            default -> throw new IllegalArgumentException("tensor " + name + ": data type " + t + " is not supported for export");
        };
    }

    private static int bytesPer(String dtype, Object file, String name) throws IllegalArgumentException {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "BF16" -> 2;
            default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' has unsupported dtype " + dtype);
        };
    }
}
