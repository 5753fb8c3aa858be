package io.mosaspark.prep.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.MiniHdfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained tokenizer saved to and loaded from a real HDFS (MiniDFSCluster). */
class TokenizerOnHdfsTest {
    @TempDir
    static Path temp;
    private static FileSystem fs;
    private static TrainedBpe trained;

    @BeforeAll
    static void start() {
        fs = MiniHdfs.fs();
        trained = HuggingFaceTokenizerJsonTest.train("gpt2", 600);
    }

    @Test
    void savesAtomicallyAndLoadsBackFromHdfs() throws IOException {
        String dir = fs.getUri() + "/tokenizers/bpe-600";
        TokenizerSpec spec = trained.save(dir, fs.getConf());
        FileStatus[] files = fs.listStatus(new org.apache.hadoop.fs.Path("/tokenizers"));
        assertEquals(1, files.length, "only the final directory, no temporary left: " + Arrays.toString(files));
        TextTokenizer loaded = TokenizerSpec.parse(dir).load(fs.getConf());
        for (String text : HostileText.SAMPLES) {
            assertArrayEquals(trained.toTokenizer().encode(text), loaded.encode(text));
            assertEquals(text, loaded.decode(loaded.encode(text)));
        }
        String local = temp.resolve("local-copy").toString();
        trained.save(local, new Configuration());
        assertEquals(TokenizerSpec.parse(local).sha256(), spec.sha256(fs.getConf()));

        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> trained.save(dir, fs.getConf()));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    }

    @Test
    void missingDirectoryNamesTheFileAndTheAlternatives() {
        String dir = fs.getUri() + "/no/such/tokenizer";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerSpec.trained(dir).load(fs.getConf()));
        assertTrue(e.getMessage().contains("tokenizer.tiktoken") && e.getMessage().contains(dir), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
