package dev.ngao.risk.backtest;

import dev.ngao.events.Outcome;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.risk.topology.TopologyOptions;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.rules.RuleSetFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/** Replays of known requests through a live and a candidate rule set, and the command's refusals. */
class BacktestTest {

    private static final Instant MORNING = Instant.parse("2026-03-10T08:00:00Z");
    private static final TopologyOptions OPTIONS = TopologyOptions.defaults(
            DefaultRuleSet.of("limits-v1", Map.of("KES", 15_000_000L), Map.of("KES", 30_000_000L)),
            new RuleSetCompiler()::compile, 1);

    @TempDir
    Path directory;

    static String ruleSet(String version, long dailyLimitMinor) {
        return """
                merchantId: merchant-1
                version: "%s"
                rules:
                  - id: amount-positive
                    type: amount-positive
                    parameters: {}
                    action: BLOCK
                    mode: ENFORCE
                  - id: daily-limit
                    type: limit
                    parameters: {interval: DAY, zone: UTC, limits: {KES: %d}}
                    action: BLOCK
                    mode: ENFORCE
                  - id: attempts-per-hour
                    type: velocity-count
                    parameters: {dimension: ACCOUNT, windowSeconds: 3600, max: 10}
                    action: REVIEW
                    mode: SHADOW
                """.formatted(version, dailyLimitMinor);
    }

    static List<RecordedInput> requests() {
        // acct-a spends 100.00 KES three times in the morning, acct-b once; a day later acct-a once more
        return List.of(
                RecordedInput.request(request("tx-a1", "acct-a", 10_000L, "KES", MORNING), MORNING),
                RecordedInput.request(request("tx-a2", "acct-a", 10_000L, "KES", MORNING.plusSeconds(60)),
                        MORNING.plusSeconds(60)),
                RecordedInput.request(request("tx-b1", "acct-b", 10_000L, "KES", MORNING.plusSeconds(90)),
                        MORNING.plusSeconds(90)),
                RecordedInput.request(request("tx-a3", "acct-a", 10_000L, "KES", MORNING.plusSeconds(120)),
                        MORNING.plusSeconds(120)),
                RecordedInput.request(request("tx-a4", "acct-a", 10_000L, "KES", MORNING.plusSeconds(86_400)),
                        MORNING.plusSeconds(86_400)));
    }

    @Test
    void shouldDeclineTheTransactionsOverATightenedLimitWhenTheCandidateLowersIt() throws Exception {
        // Given the live rule set allowing 500.00 KES a day and a candidate allowing 250.00
        RuleSetPublished live = RuleSetFiles.parse(ruleSet("live-1", 50_000L), "live.yaml");
        RuleSetPublished candidate = RuleSetFiles.parse(ruleSet("candidate-2", 25_000L), "candidate.yaml");

        // When the recorded requests are replayed through both
        BacktestReport report = Backtest.backtest(OPTIONS, Map.of("merchant-1", live), candidate, requests(), 5);

        // Then only acct-a's third request that day flips from APPROVE to DECLINE, by the daily limit
        assertThat(report.requests()).isEqualTo(5);
        assertThat(report.live()).isEqualTo("merchant-1 live-1");
        assertThat(report.candidate()).isEqualTo("merchant-1 candidate-2");
        assertThat(report.liveOutcomes()).containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.APPROVE, 5L));
        assertThat(report.candidateOutcomes()).containsExactlyInAnyOrderEntriesOf(
                Map.of(Outcome.APPROVE, 4L, Outcome.DECLINE, 1L));
        assertThat(report.changed()).isEqualTo(1L);
        assertThat(report.changesByTransition()).containsExactlyEntriesOf(Map.of("APPROVE -> DECLINE", 1L));
        assertThat(report.examples()).singleElement().satisfies(change -> {
            assertThat(change.transactionId()).isEqualTo("tx-a3");
            assertThat(change.live()).isEqualTo(Outcome.APPROVE);
            assertThat(change.candidate()).isEqualTo(Outcome.DECLINE);
            assertThat(change.candidateRules()).containsExactly("daily-limit");
        });
        assertThat(report.liveMatches()).doesNotContainKey("daily-limit");
        assertThat(report.candidateMatches()).containsEntry("daily-limit", 1L);

        // And the printed report says so
        String text = report.render();
        assertThat(text).contains("candidate merchant-1 candidate-2 against live merchant-1 live-1")
                .containsPattern("APPROVE\\s+5\\s+4")
                .containsPattern("DECLINE\\s+0\\s+1")
                .containsPattern("daily-limit\\s+0\\s+1")
                .contains("outcome changed: 1")
                .contains("e.g. tx-a3 (merchant merchant-1): APPROVE -> DECLINE by daily-limit")
                .doesNotContain("acct-a");
    }

    @Test
    void shouldCompareWithTheBuiltInDefaultWhenNothingIsPublished() throws Exception {
        // Given no rule set in force and a candidate limiting acct-a's day to 150.00 KES
        RuleSetPublished candidate = RuleSetFiles.parse(ruleSet("candidate-3", 15_000L), "candidate.yaml");

        // When replayed
        BacktestReport report = Backtest.backtest(OPTIONS, Map.of(), candidate, requests(), 1);

        // Then the built-in limits approve everything, the candidate declines acct-a's second and third
        assertThat(report.live()).isEqualTo("default limits-v1 (built in)");
        assertThat(report.candidateOutcomes()).containsExactlyInAnyOrderEntriesOf(
                Map.of(Outcome.APPROVE, 3L, Outcome.DECLINE, 2L));
        assertThat(report.changed()).isEqualTo(2L);
        assertThat(report.examples()).hasSize(1);
    }

    @Test
    void shouldCountShadowMatchesApartWhenAShadowRuleMatches() throws Exception {
        // Given a candidate whose shadow velocity rule allows one attempt an hour
        RuleSetPublished live = RuleSetFiles.parse(ruleSet("live-1", 50_000L), "live.yaml");
        RuleSetPublished candidate = RuleSetFiles.parse(ruleSet("candidate-4", 50_000L)
                .replace("max: 10", "max: 1"), "candidate.yaml");

        // When replayed
        BacktestReport report = Backtest.backtest(OPTIONS, Map.of("merchant-1", live), candidate, requests(), 5);

        // Then the shadow rule is counted on acct-a's second and third requests, and no outcome changes
        assertThat(report.candidateMatches()).containsEntry("attempts-per-hour (shadow)", 2L);
        assertThat(report.changed()).isZero();
    }

    @Test
    void shouldExitWithBadUsageWhenTheCandidateFileIsRefused() throws Exception {
        // Given a rule set file whose rule has a zero window
        Path file = directory.resolve("bad.yaml");
        Files.writeString(file, ruleSet("bad-1", 50_000L).replace("windowSeconds: 3600", "windowSeconds: 0"));

        // When the command is run with it
        Result result = run("--candidate", file.toString());

        // Then it stops before reading anything, naming the problem
        assertThat(result.status()).isEqualTo(Backtest.BAD_USAGE);
        assertThat(result.err()).contains("is refused", "attempts-per-hour", "windowSeconds");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldExitWithBadUsageWhenTheArgumentsAreWrong() throws Exception {
        Path file = directory.resolve("good.yaml");
        Files.writeString(file, ruleSet("good-1", 50_000L));

        assertThat(run().err()).contains("usage: ngao backtest --candidate FILE", "--max-requests N");
        assertThat(run().status()).isEqualTo(Backtest.BAD_USAGE);
        assertThat(run("--examples", "3").err()).contains("--candidate is required", "usage: ngao backtest");
        assertThat(run("--candidate", directory.resolve("missing.yaml").toString()).status())
                .isEqualTo(Backtest.BAD_USAGE);
        assertThat(run("--candidate", file.toString(), "--from-offset", "5", "--to-time", "2026-03-10T00:00:00Z")
                .err()).contains("not both");
        assertThat(run("--candidate", file.toString(), "--from-time", "yesterday").err()).contains("ISO-8601");
        assertThat(run("--candidate", file.toString(), "--to-offset", "-1").status()).isEqualTo(Backtest.BAD_USAGE);
        assertThat(run("--candidate", file.toString(), "--verbose", "yes").err()).contains("unknown option --verbose");
        Files.writeString(directory.resolve("not-yaml.json"), "{ rules: ");
        assertThat(run("--candidate", directory.resolve("not-yaml.json").toString()).err())
                .contains("is not a rule set");
    }

    @Test
    void shouldReadTheCandidateFromTheCallersDirectoryAndRefuseAMissingOneInOneLine() throws Exception {
        // Given a caller standing in another directory than this process, with a refused rule set in it
        Path caller = Files.createDirectory(directory.resolve("caller"));
        Files.writeString(caller.resolve("bad.yaml"),
                ruleSet("bad-2", 50_000L).replace("windowSeconds: 3600", "windowSeconds: 0"));
        Map<String, String> environment = Map.of(CallerFiles.CALLER_DIR, caller.toString());

        // When the candidate is named relative to the caller
        Result found = run(environment, "--candidate", "bad.yaml");
        Result missing = run(environment, "--candidate", "missing.yaml");
        Result badFlag = run(environment, "--candidate", "bad.yaml", "--verbose");

        // Then the file is the caller's (read, then refused for its content), and a missing one is named with
        // its absolute path; each refusal is one line, with no stack trace
        assertThat(found.err()).contains("is refused").doesNotContain("no such file");
        assertThat(missing.err()).isEqualTo("backtest: no such file: " + caller.resolve("missing.yaml")
                + " (" + BacktestArguments.SHORT_USAGE + ")" + System.lineSeparator());
        assertThat(badFlag.err()).contains("--verbose needs a value");
        for (Result result : List.of(found, missing, badFlag)) {
            assertThat(result.status()).isEqualTo(Backtest.BAD_USAGE);
            assertThat(result.err().strip()).doesNotContain("\n", "\tat ", "Exception");
            assertThat(result.out()).isEmpty();
        }
    }

    record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        return run(Map.of(), args);
    }

    private static Result run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Backtest.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
