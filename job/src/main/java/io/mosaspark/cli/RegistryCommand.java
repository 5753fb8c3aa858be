package io.mosaspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mosaspark.spark.DriverSession;
import io.mosaspark.spark.SparkHadoopConf;
import io.mosaspark.spark.SparkSessions;
import io.mosaspark.train.TrainKryoRegistrator;
import io.mosaspark.train.registry.ModelRegistry;
import io.mosaspark.train.registry.Promotion;
import io.mosaspark.train.registry.RegistryEntry;
import io.mosaspark.train.registry.RegistryEvent;
import io.mosaspark.train.registry.RegistryLock;
import io.mosaspark.train.retrain.RegistryEvaluation;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mosa registry list|show|evaluate|promote|rollback}: the model registry {@code mosa retrain} fills,
 * as an orchestrator's separate steps and for people. Thin drivers over {@code train.registry} and
 * {@code train.retrain.RegistryEvaluation}.
 */
@Command(name = "registry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The model registry of mosa retrain: list, show, evaluate, promote, roll back (docs/retrain.md).",
        subcommands = {RegistryCommand.ListModels.class, RegistryCommand.Show.class, RegistryCommand.Evaluate.class,
                RegistryCommand.Promote.class, RegistryCommand.Rollback.class})
public final class RegistryCommand implements Runnable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A command's result as indented JSON on its standard output (what an orchestrator reads). */
    static void printJson(CommandLine.Model.CommandSpec spec, Object result) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.println(JSON.writeValueAsString(result));
        out.flush();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing command: list | show | evaluate | promote | rollback (see mosa registry --help)");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
            description = "Every registered model, oldest first; the promoted one marked *.")
    static final class ListModels implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--json", description = "JSON: {registry, current, models: [entry.json, …]}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry.open();
            Optional<String> current = r.current();
            List<RegistryEntry> entries = r.entries();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("registry", r.directory().toString());
                n.put("current", current.orElse(null));
                ArrayNode models = n.putArray("models");
                entries.forEach(e -> models.add(JSON.valueToTree(e)));
                out.println(JSON.writeValueAsString(n));
            } else {
                out.printf(Locale.ROOT, "%-2s %-6s %-6s %-6s %12s %10s %10s %10s  %s%n", "", "id", "start", "parent",
                        "tokens", "val_loss", "eval", "baseline", "decision");
                for (RegistryEntry e : entries) {
                    var ev = e.evaluation();
                    out.printf(Locale.ROOT, "%-2s %-6s %-6s %-6s %12d %10.4f %10s %10s  %s%n",
                            current.map(e.id()::equals).orElse(false) ? "*" : "", e.id(), e.start(),
                            e.parent() == null ? "-" : e.parent(), e.tokensSeen(), e.valLoss(),
                            ev == null ? "-" : String.format(Locale.ROOT, "%.4f", ev.candidateLoss()),
                            ev == null || ev.baselineLoss() == null ? "-"
                                    : String.format(Locale.ROOT, "%.4f", ev.baselineLoss()),
                            e.decision() == null ? "-" : e.decision().promoted() ? "promoted" : "kept");
                }
                if (entries.isEmpty()) out.println("(no models in " + r.directory() + ")");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
            description = "One model's entry (provenance, metrics, decision) and its history.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID|current|latest", description = "Default: current.")
        String id = "current";
        @Option(names = "--json", description = "JSON: {id, current, directory, entry, history}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry.open();
            RegistryEntry e = r.entry(id);
            boolean isCurrent = r.current().map(e.id()::equals).orElse(false);
            List<RegistryEvent> history = r.history().stream().filter(h -> e.id().equals(h.id())).toList();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("current", isCurrent);
                m.put("directory", r.modelDirectory(e.id()).toString());
                m.put("entry", e);
                m.put("history", history);
                out.println(JSON.writeValueAsString(m));
            } else {
                out.printf(Locale.ROOT, "%s%s  %s%n", e.id(), isCurrent ? " (current)" : "", r.modelDirectory(e.id()));
                out.printf(Locale.ROOT, "  start      %s%s: %s%n", e.start(), e.parent() == null ? "" : " from " + e.parent(),
                        e.startReason());
                out.printf(Locale.ROOT, "  data       %s (manifest sha256 %s)%n", e.data().path("source").asText(),
                        e.data().path("manifest_sha256").asText());
                out.printf(Locale.ROOT, "  trained    %d tokens, %d rounds, %.0f s; val loss %.6f%n", e.tokensSeen(),
                        e.rounds(), e.trainSeconds(), e.valLoss());
                if (e.evaluation() != null) {
                    var ev = e.evaluation();
                    out.printf(Locale.ROOT, "  evaluated  %.6f vs %s %s on %d windows of %s%n", ev.candidateLoss(),
                            ev.baseline() == null ? "(none)" : ev.baseline(),
                            ev.baselineLoss() == null ? "(" + ev.baselineNote() + ")" : String.format(Locale.ROOT, "%.6f", ev.baselineLoss()),
                            ev.windows(), ev.data());
                }
                if (e.decision() != null) {
                    out.printf(Locale.ROOT, "  decision   %s: %s%n", e.decision().promoted() ? "promoted" : "kept",
                            e.decision().reason());
                }
                for (RegistryEvent h : history) out.printf(Locale.ROOT, "  %s  %-11s %s%n", h.time(), h.event(),
                        h.detail() == null ? "" : h.detail());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
            description = "Score a candidate and the promoted model on the same windows of the candidate's val split, in one"
                    + " Spark job; records the losses in its entry. Prints the entry's evaluation as JSON.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:evaluated", "1:the job failed, or another writer holds the lock", "2:no such model"})
    static final class Evaluate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--candidate", paramLabel = "ID|latest", description = "Default: ${DEFAULT-VALUE}.")
        String candidate = "latest";
        @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: spark-submit's, else local[*].")
        String master;
        @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting for the session this command starts (repeatable).")
        Map<String, String> sparkConf = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            SparkConf conf = new SparkConf();
            sparkConf.forEach(conf::set);
            ModelRegistry r = registry.open(SparkHadoopConf.from(conf));
            r.entry(candidate); // a wrong id before Spark starts
            try (RegistryLock lock = registry.lock(r, "mosa registry evaluate");
                 DriverSession session = SparkSessions.borrowOrStart("mosa registry evaluate " + registry.registry, master,
                         conf, List.of(TrainKryoRegistrator.class))) {
                RegistryEntry e = RegistryEvaluation.evaluate(JavaSparkContext.fromSparkContext(session.spark().sparkContext()),
                        r, lock, candidate, System.err);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("evaluation", e.evaluation());
                printJson(spec, m);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
            description = "Promote an evaluated candidate if its val loss beats the promoted model's by --margin (or"
                    + " unconditionally with --force). Prints the decision as JSON.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:decided (promoted or kept: see promoted)", "1:another writer holds the lock, or I/O failed",
                    "2:no such model, not evaluated, or evaluated against a model no longer promoted"})
    static final class Promote implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--candidate", paramLabel = "ID|latest", description = "Default: ${DEFAULT-VALUE}.")
        String candidate = "latest";
        @CommandLine.ArgGroup(exclusive = true)
        Rule rule = new Rule();

        static final class Rule {
            @Option(names = "--margin", paramLabel = "X",
                    description = "Promote only if its val loss < the promoted model's × (1 − X). Default: " + Promotion.DEFAULT_MARGIN + ".")
            double margin = Promotion.DEFAULT_MARGIN;
            @Option(names = "--force", description = "Promote whatever the losses (and even if not evaluated).")
            boolean force;
        }

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry.open();
            try (RegistryLock lock = registry.lock(r, "mosa registry promote")) {
                RegistryEntry e = Promotion.decide(r, lock, candidate, rule.margin, rule.force);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("promoted", e.decision().promoted());
                m.put("current", r.current().orElse(null));
                m.put("decision", e.decision());
                printJson(spec, m);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
            description = "Point CURRENT back at the model promoted before the current one, or at --to ID.")
    static final class Rollback implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--to", paramLabel = "ID", description = "Default: the previously promoted model.")
        String to;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry.open();
            try (RegistryLock lock = registry.lock(r, "mosa registry rollback")) {
                String before = r.current().orElse(null);
                String now = r.rollback(lock, to);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("previous", before);
                m.put("current", now);
                printJson(spec, m);
                return ExitCodes.OK;
            }
        }
    }
}
