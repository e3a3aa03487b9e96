package dev.ngao.risk.backtest;

import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.platform.cli.ExitStatus;
import dev.ngao.platform.cli.OneLine;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.topology.TopologyOptions;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.InvalidRuleSetException;
import dev.ngao.rules.InvalidRuleSetFileException;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.rules.RuleSetFiles;
import dev.ngao.schemas.topics.Topics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a range of recorded payment requests through a candidate rule set and through the rule sets in
 * force, each in an isolated run of the real topology ({@link Replay}), and prints how the decisions would
 * change. Reads the cluster with assign-only read_committed consumers and writes nothing to it.
 */
public final class Backtest {

    public static final int OK = 0;
    public static final int FAILED = 1;
    /** Bad usage, a missing or refused rule set file: the caller's mistake, told in one line. */
    public static final int BAD_USAGE = ExitStatus.USAGE;

    private Backtest() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * The backtest serves no signed API, so the API keys' master key the service needs is not asked of its user:
     * when absent, a random one stands in, used by nothing.
     */
    static Map<String, String> withoutApiKeys(Map<String, String> environment) {
        Map<String, String> settings = new HashMap<>(environment);
        byte[] unused = new byte[32];
        new SecureRandom().nextBytes(unused);
        settings.putIfAbsent(EnvironmentConfig.variableName(RiskConfig.KEYS_MASTER_KEY),
                Base64.getEncoder().encodeToString(unused));
        return settings;
    }

    /**
     * The command: parses, reads the cluster, replays and prints; returns the exit status. File names are the
     * caller's ({@link CallerFiles}: relative to {@code NGAO_CALLER_DIR} when {@code ngao backtest} runs it).
     */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(BacktestArguments.USAGE);
            return BAD_USAGE;
        }
        BacktestArguments arguments;
        RuleSetPublished candidate;
        RuleSetPublished liveOverride;
        RiskConfig config;
        try {
            CallerFiles files = CallerFiles.of(environment);
            arguments = BacktestArguments.parse(args);
            candidate = readRuleSet(files.readableFile(arguments.candidate().toString()), "candidate");
            liveOverride = arguments.live().isPresent()
                    ? readRuleSet(files.readableFile(arguments.live().get().toString()), "live") : null;
            config = RiskConfig.fromEnvironment(withoutApiKeys(environment));
        } catch (IllegalArgumentException | InvalidConfigurationException e) {
            err.println("backtest: " + OneLine.of(e.getMessage()) + " (" + BacktestArguments.SHORT_USAGE + ")");
            return BAD_USAGE;
        }
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config))) {
            RecordedTopics topics = new RecordedTopics(kafka);
            List<RecordedInput> requests = topics.requests(arguments);
            Map<String, RuleSetPublished> live = topics.ruleSets();
            if (liveOverride != null) {
                live.remove(liveOverride.getMerchantId());
                live.put(liveOverride.getMerchantId(), liveOverride);
            }
            Instant until = requests.isEmpty() ? Instant.EPOCH : requests.get(requests.size() - 1).timestamp();
            List<RecordedInput> records = new ArrayList<>(topics.globalChanges(Topics.CARD_EVENTS, until));
            records.addAll(topics.globalChanges(Topics.RISK_LISTS, until));
            records.addAll(requests);
            records.sort(RecordedInput.REPLAY_ORDER);
            BacktestReport report = backtest(config.topologyOptions(1), live, candidate, records,
                    arguments.examples());
            out.print(report.render());
            return OK;
        } catch (IllegalArgumentException e) {
            err.println("backtest: " + OneLine.of(e.getMessage()));
            return BAD_USAGE;
        } catch (RuntimeException e) {
            err.println("backtest failed: " + OneLine.of(e.getMessage()));
            return FAILED;
        }
    }

    /**
     * Decides {@code records} twice, each time in a fresh topology: with the live rule sets, then with the
     * candidate in place of its owner's.
     *
     * @param live every owner's rule set in force (merchant ids and {@code default}); may be empty, then
     *             the built-in default of {@code options} decides
     */
    public static BacktestReport backtest(TopologyOptions options, Map<String, RuleSetPublished> live,
                                          RuleSetPublished candidate, List<RecordedInput> records, int maxExamples) {
        Map<String, RuleSetPublished> withCandidate = new LinkedHashMap<>(live);
        withCandidate.remove(candidate.getMerchantId());
        withCandidate.put(candidate.getMerchantId(), candidate);
        Map<String, RiskDecision> liveDecisions = Replay.decide(options, live.values(), records);
        Map<String, RiskDecision> candidateDecisions = Replay.decide(options, withCandidate.values(), records);
        long requests = records.stream().filter(record -> record.value() instanceof dev.ngao.events.PaymentRequest)
                .count();
        return BacktestReport.compare(candidate.getMerchantId() + " " + candidate.getVersion(),
                liveLabel(options, live, candidate.getMerchantId()), (int) requests, liveDecisions,
                candidateDecisions, maxExamples);
    }

    /** The rule set the candidate's owner has now: its own, else the published default, else the built-in. */
    private static String liveLabel(TopologyOptions options, Map<String, RuleSetPublished> live, String owner) {
        RuleSetPublished current = live.getOrDefault(owner, live.get(CompiledRuleSet.DEFAULT_MERCHANT));
        if (current != null) {
            return current.getMerchantId() + " " + current.getVersion();
        }
        CompiledRuleSet builtIn = options.defaultRuleSet();
        return builtIn.merchantId() + " " + builtIn.version() + " (built in)";
    }

    /** Reads and compiles a rule set file, so that a bad one stops here instead of being refused in the replay. */
    static RuleSetPublished readRuleSet(Path file, String role) {
        RuleSetPublished published;
        try {
            published = RuleSetFiles.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + role + " rule set " + file + ": " + e.getMessage());
        } catch (InvalidRuleSetFileException e) {
            throw new IllegalArgumentException("the " + role + " rule set " + file + " is not a rule set: "
                    + e.getMessage());
        }
        try {
            new RuleSetCompiler().compile(published);
        } catch (InvalidRuleSetException e) {
            throw new IllegalArgumentException("the " + role + " rule set " + file + " is refused: " + e.getMessage());
        }
        return published;
    }
}
