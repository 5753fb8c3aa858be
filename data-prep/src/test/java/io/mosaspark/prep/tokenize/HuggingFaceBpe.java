package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader of a Hugging Face {@code tokenizer.json} of the byte-level BPE kind we write, that encodes
 * the way the {@code tokenizers} library does: split with the pre-tokenizer's regex, spell each piece's
 * bytes in GPT-2's alphabet, then apply the listed merges lowest-rank first. For tests where the library
 * itself is not installed: a file whose merges or vocabulary are wrong encodes differently from ours.
 */
public final class HuggingFaceBpe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> vocab = new HashMap<>();
    private final Map<Integer, String> spelling = new HashMap<>();
    private final Map<String, Integer> mergeRank = new HashMap<>();
    private final Map<Character, Integer> byteOf = new HashMap<>();
    private final Pattern split;
    private final JsonNode root;

    private HuggingFaceBpe(JsonNode root) {
        this.root = root;
        JsonNode model = root.get("model");
        if (!"BPE".equals(model.path("type").asText())) throw new IllegalArgumentException("model.type is not BPE");
        model.get("vocab").fields().forEachRemaining(e -> {
            vocab.put(e.getKey(), e.getValue().asInt());
            spelling.put(e.getValue().asInt(), e.getKey());
        });
        JsonNode merges = model.get("merges");
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            String key = m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText();
            mergeRank.putIfAbsent(key, i);
        }
        for (int b = 0; b < 256; b++) byteOf.put(GptByteLevelAlphabet.spell(new byte[] {(byte) b}).charAt(0), b);
        JsonNode pre = root.get("pre_tokenizer");
        String regex = "ByteLevel".equals(pre.path("type").asText()) ? PreTokenizer.GPT2_PATTERN
                : pre.get("pretokenizers").get(0).get("pattern").get("Regex").asText();
        this.split = PreTokenizer.compile(regex);
    }

    static final String HF_TOKENIZERS = "tokenizers@0.23.2";

    /**
     * The official library's Node binding, from MOSA_HF_TOKENIZERS_NODE_MODULES or else installed from
     * the npm registry (once per machine, into the temp directory), so CI checks against the real
     * library; null where neither works.
     */
    public static String officialNodeModules() throws InterruptedException {
        String fromEnv = System.getenv("MOSA_HF_TOKENIZERS_NODE_MODULES");
        if (fromEnv != null) return fromEnv;
        Path prefix = Path.of(System.getProperty("java.io.tmpdir"), "mosa-hf-" + HF_TOKENIZERS.replace('@', '-'));
        Path modules = prefix.resolve("node_modules");
        if (Files.isDirectory(modules.resolve("tokenizers"))) return modules.toString();
        try {
            Files.createDirectories(prefix);
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "--prefix", prefix.toString(), HF_TOKENIZERS).inheritIO().start();
            if (!npm.waitFor(300, TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                return null;
            }
            return npm.exitValue() == 0 ? modules.toString() : null;
        } catch (IOException noNpm) {
            return null;
        }
    }

    /**
     * Encodes {@code texts} with the official library loading {@code tokenizerJson} (special tokens
     * not added): one {@code {ids, text}} object per text, {@code text} being its decoding of the ids.
     */
    public static JsonNode encodeWithOfficialLibrary(String nodeModules, Path tokenizerJson, List<String> texts)
            throws IOException, InterruptedException {
        Path input = Files.createTempFile("mosa-hf-texts", ".json");
        try {
            JSON.writeValue(input.toFile(), texts);
            String script = "const {Tokenizer} = require('tokenizers');"
                    + "const fs = require('fs');"
                    + "const tok = Tokenizer.fromFile(process.argv[1]);"
                    + "const texts = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));"
                    + "(async () => { const out = [];"
                    + " for (const t of texts) { const e = await tok.encode(t, null, {addSpecialTokens: false});"
                    + "  out.push({ids: Array.from(e.getIds()), text: await tok.decode(Array.from(e.getIds()), false)}); }"
                    + " console.log(JSON.stringify(out)); })();";
            ProcessBuilder node = new ProcessBuilder("node", "-e", script, tokenizerJson.toString(), input.toString());
            node.environment().put("NODE_PATH", nodeModules);
            Process process = node.start();
            byte[] stdout = process.getInputStream().readAllBytes();
            String stderr = new String(process.getErrorStream().readAllBytes(), UTF_8);
            if (process.waitFor() != 0) throw new IllegalStateException("node failed: " + stderr);
            return JSON.readTree(stdout);
        } finally {
            Files.deleteIfExists(input);
        }
    }

    public static HuggingFaceBpe read(byte[] tokenizerJson) throws IOException {
        return new HuggingFaceBpe(JSON.readTree(tokenizerJson));
    }

    public JsonNode json() {
        return root;
    }

    public int vocabularySize() {
        return vocab.size();
    }

    public int merges() {
        return root.get("model").get("merges").size();
    }

    /** The bytes the vocabulary entry of {@code id} stands for, or null for an id it lacks. */
    public byte[] bytesOf(int id) {
        String s = spelling.get(id);
        if (s == null) return null;
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) out[i] = (byte) (int) byteOf.get(s.charAt(i));
        return out;
    }

    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = split.matcher(text);
        while (m.find()) {
            List<String> parts = new ArrayList<>();
            for (byte b : m.group().getBytes(UTF_8)) parts.add(GptByteLevelAlphabet.spell(new byte[] {b}));
            while (parts.size() > 1) {
                int best = -1, bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < parts.size(); i++) {
                    Integer r = mergeRank.get(parts.get(i) + " " + parts.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = i;
                    }
                }
                if (best < 0) break;
                parts.set(best, parts.get(best) + parts.get(best + 1));
                parts.remove(best + 1);
            }
            for (String p : parts) {
                Integer id = vocab.get(p);
                if (id == null) throw new IllegalStateException("merged piece '" + p + "' is not in the vocabulary");
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) out.writeBytes(bytesOf(id));
        return out.toString(UTF_8);
    }
}
