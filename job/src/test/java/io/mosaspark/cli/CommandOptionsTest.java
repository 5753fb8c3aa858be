package io.mosaspark.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One name for one concept across every {@code mosa} command (train's names are the canonical ones), one
 * type for one option name, {@code --help} everywhere, and only the exit codes of {@link ExitCodes}.
 * Walks picocli's model of {@link Mosa}, so a command added later is checked without being listed here.
 */
class CommandOptionsTest {

    /** Canonical option -> names that would mean the same thing and must not appear on any command. */
    static final Map<String, List<String>> SYNONYMS = Map.ofEntries(
            Map.entry("--data", List.of("--shards", "--shard-set", "--shard-dir", "--input-dir", "--dataset", "--data-dir")),
            Map.entry("--out", List.of("--output", "--output-dir", "--out-dir", "--outdir", "--dest")),
            Map.entry("--checkpoint", List.of("--ckpt", "--model-dir", "--run-dir", "--from")),
            Map.entry("--preset", List.of("--size", "--model-size")),
            Map.entry("--model", List.of("--variant", "--kind")),
            Map.entry("--rho", List.of("--sparsity", "--rho-value")),
            Map.entry("--set", List.of("--override", "--param")),
            Map.entry("--workers", List.of("--num-workers", "--n-workers", "--executors")),
            Map.entry("--local-steps", List.of("--steps-per-round", "--inner-steps", "--h")),
            Map.entry("--tokens", List.of("--token-budget", "--num-tokens", "--train-tokens")),
            Map.entry("--master", List.of("--spark-master", "--cluster")),
            Map.entry("--conf", List.of("--spark-conf", "--spark-config")),
            Map.entry("--seed", List.of("--random-seed", "--rng-seed")),
            Map.entry("--registry", List.of("--registry-dir", "--registry-uri", "--repo")),
            Map.entry("--candidate", List.of("--candidate-id", "--model-id")),
            Map.entry("--precision", List.of("--dtype", "--data-type", "--float")));

    /**
     * Synonyms still accepted, and why. Hidden old names keep existing scripts running (with a warning);
     * bench's options belong to the bench module, whose owner renames them. Each entry must still occur, so
     * the list only shrinks.
     */
    static final List<String> KNOWN = List.of(
            "mosa prepare --output (say --out)",
            "mosa bench --sparsity (say --rho)");

    /** Every command under mosa, with its qualified name ("mosa train", "mosa registry list"). */
    static List<CommandSpec> commands() {
        List<CommandSpec> all = new ArrayList<>();
        collect(Mosa.commands(), all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandSpec> into) {
        into.add(cl.getCommandSpec());
        cl.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    private static boolean isHelpCommand(CommandSpec spec) {
        return spec.userObject() instanceof CommandLine.HelpCommand;
    }

    @Test
    void noCommandUsesASynonymOfACanonicalOption() {
        List<String> found = new ArrayList<>(synonymsIn(commands()));
        for (String known : KNOWN) assertTrue(found.remove(known), known + " is gone: take it off KNOWN");
        assertEquals(List.of(), found, "use the canonical names (mosa train's)");
        for (CommandSpec spec : commands()) {
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) {
                    assertTrue(KNOWN.stream().anyMatch(k -> k.startsWith(spec.qualifiedName() + " " + o.longestName() + " ")),
                            spec.qualifiedName() + " " + o.longestName() + " is hidden: an old name belongs in KNOWN");
                }
            }
        }
    }

    static List<String> synonymsIn(List<CommandSpec> specs) {
        List<String> found = new ArrayList<>();
        for (CommandSpec spec : specs) {
            for (OptionSpec o : spec.options()) {
                for (String name : o.names()) {
                    SYNONYMS.forEach((canonical, synonyms) -> {
                        if (synonyms.contains(name)) found.add(spec.qualifiedName() + " " + name + " (say " + canonical + ")");
                    });
                }
            }
        }
        return found;
    }

    @Test
    void oneOptionNameHasOneTypeOnEveryCommand() {
        assertEquals(List.of(), typeClashes(commands()));
    }

    static List<String> typeClashes(List<CommandSpec> specs) {
        Map<String, Map<String, Set<String>>> typesByName = new TreeMap<>();
        for (CommandSpec spec : specs) {
            for (OptionSpec o : spec.options()) {
                String type = o.typeInfo().isMultiValue()
                        ? o.type().getSimpleName() + "<" + Arrays.stream(o.auxiliaryTypes()).map(CommandOptionsTest::kind).collect(Collectors.joining(",")) + ">"
                        : kind(o.type());
                for (String name : o.names()) {
                    typesByName.computeIfAbsent(name, n -> new TreeMap<>()).computeIfAbsent(type, t -> new TreeSet<>()).add(spec.qualifiedName());
                }
            }
        }
        List<String> clashes = new ArrayList<>();
        typesByName.forEach((name, types) -> {
            if (types.size() > 1) clashes.add(name + " has types " + types);
        });
        return clashes;
    }

    /**
     * The type as a user meets it: long and Long read the same text, so do a String, a Path and an enum
     * (a word, checked by the command); what differs is a number kind from another or from a word.
     */
    static String kind(Class<?> type) {
        if (type.isEnum() || type == String.class || type == java.nio.file.Path.class || type == java.io.File.class
                || type == java.net.URI.class) return "text";
        return switch (type.getSimpleName()) {
            case "Integer" -> "int";
            case "Long" -> "long";
            case "Double" -> "double";
            case "Float" -> "float";
            case "Boolean" -> "boolean";
            default -> type.getSimpleName();
        };
    }

    /** The checks can fail: a command with a synonym and a clashing type is reported. */
    @Test
    void theChecksReportACommandThatBreaksThem() {
        CommandSpec bad = CommandSpec.create().name("bad")
                .addOption(OptionSpec.builder("--shards").type(String.class).build())
                .addOption(OptionSpec.builder("--workers").type(double.class).build());
        CommandSpec good = CommandSpec.create().name("good").addOption(OptionSpec.builder("--workers").type(int.class).build());
        assertEquals(List.of("bad --shards (say --data)"), synonymsIn(List.of(bad, good)));
        assertEquals(List.of("--workers has types {double=[bad], int=[good]}"), typeClashes(List.of(bad, good)));
    }

    @Test
    void everyCommandHasHelp() {
        for (CommandSpec spec : commands()) {
            if (isHelpCommand(spec)) continue;
            assertTrue(spec.optionsMap().containsKey("--help"), spec.qualifiedName() + " has no --help");
            String usage = new CommandLine(spec).getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(usage.startsWith("Usage: " + spec.qualifiedName()), usage);
        }
    }

    @Test
    void everyExitCodeACommandDocumentsIsOneOfExitCodes() throws IllegalAccessException {
        Set<String> codes = new TreeSet<>();
        for (Field f : ExitCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) codes.add(String.valueOf(f.getInt(null)));
        }
        assertEquals(Set.of("0", "1", "2"), codes);
        for (CommandSpec spec : commands()) {
            for (String key : spec.usageMessage().exitCodeList().keySet()) {
                assertTrue(codes.contains(key.strip()), spec.qualifiedName() + " documents exit code " + key + ", not one of ExitCodes");
            }
        }
        assertFalse(commands().isEmpty());
    }
}
