package dev.ngao.rules;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.ngao.rules.Requests.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** The list rule, and how list hits, shadow rules and scores resolve into one outcome. */
class ListAndResolutionTest {

    private final RuleSetCompiler compiler = new RuleSetCompiler();

    @Test
    void shouldMatchEachListedDimensionOfTheRequestWhenItIsOnTheMerchantsBlockList() {
        // Given
        Rule rule = Requests.compileOne("list", "{\"list\": \"BLOCK\"}");
        InMemoryStateView state = new InMemoryStateView()
                .listEntry("merchant-1", ListKind.BLOCK, ListDimension.EMAIL, "email-hash-1", "e-1", "chargeback fraud", null)
                .listEntry("merchant-1", ListKind.BLOCK, ListDimension.CIDR, "198.51.100.0/24", "e-2", "botnet range", null)
                .listEntry("merchant-1", ListKind.BLOCK, ListDimension.COUNTRY, "KP", "e-3", "sanctions", null)
                .listEntry("merchant-2", ListKind.BLOCK, ListDimension.DNI, "dni-hash-1", "e-4", "other merchant", null);
        PaymentRequest request = Requests.cip(1_000).setSignals(Requests.signals().setEmailHash("email-hash-1")
                .setClientIp("198.51.100.23").setIpCountry("KP").build()).build();

        // When
        Optional<String> reason = rule.evaluate(Requests.input(request, state));

        // Then: the other merchant's DNI entry does not apply, and no personal value is named
        assertThat(reason).contains("email is on the block list (entry e-1: chargeback fraud); "
                + "IP address is on the block list (entry e-2: botnet range); "
                + "country is on the block list (entry e-3: sanctions)");
    }

    @Test
    void shouldIgnoreExpiredEntriesAndDimensionsTheRuleDoesNotName() {
        Rule emailOnly = Requests.compileOne("list", "{\"list\": \"BLOCK\", \"dimensions\": [\"EMAIL\"]}");
        InMemoryStateView state = new InMemoryStateView()
                .listEntry("merchant-1", ListKind.BLOCK, ListDimension.EMAIL, "email-hash-1", "e-1", "old", Requests.NOON)
                .listEntry("merchant-1", ListKind.BLOCK, ListDimension.DEVICE, "device-1", "e-2", "emulator", null);
        PaymentRequest request = Requests.cip(1_000).setSignals(Requests.signals().setEmailHash("email-hash-1")
                .setDeviceHash("device-1").build()).build();

        assertThat(emailOnly.evaluate(Requests.input(request, state))).isEmpty();
        PaymentRequest earlier = Requests.cip(1_000).setRequestedAt(Requests.NOON.minusSeconds(1))
                .setSignals(Requests.signals().setEmailHash("email-hash-1").build()).build();
        assertThat(emailOnly.evaluate(Requests.input(earlier, state))).isPresent();
    }

    @Test
    void shouldMatchAPhoneEntryOnTheWalletsAccountIdBecauseBothAreTheMsisdnHash() {
        Rule rule = Requests.compileOne("list", "{\"list\": \"ALLOW\", \"dimensions\": [\"PHONE\"]}", RuleAction.ALLOW, RuleMode.ENFORCE);
        InMemoryStateView state = new InMemoryStateView()
                .listEntry("merchant-1", ListKind.ALLOW, ListDimension.PHONE, "wallet-1", "a-1", "known customer", null);

        assertThat(rule.evaluate(Requests.input(Requests.wallet(100, "KES").build(), state)))
                .contains("phone number is on the allow list (entry a-1: known customer)");
    }

    @Test
    void shouldLetAnAllowEntryOverrideReviewRulesButNeverABlockOrAHardLimit() throws Exception {
        // Given an allow list, a review rule (off-hours all day), a block list and a hard limit
        CompiledRuleSet ruleSet = compiler.compile(Requests.ruleSet(
                rule("allow", "list", "{\"list\": \"ALLOW\"}", RuleAction.ALLOW, RuleMode.ENFORCE),
                rule("always-review", "off-hours", "{\"from\": \"00:00\", \"to\": \"23:59\"}", RuleAction.REVIEW, RuleMode.ENFORCE),
                rule("block", "list", "{\"list\": \"BLOCK\"}", RuleAction.BLOCK, RuleMode.ENFORCE),
                rule("limit", "limit", "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"PEN\": 10000}}")));
        InMemoryStateView state = new InMemoryStateView()
                .listEntry("merchant-1", ListKind.ALLOW, ListDimension.DNI, "dni-hash-1", "a-1", "verified in branch", null);

        // When / Then: allowed over review
        assertThat(resolve(ruleSet, Requests.cip(5_000).build(), state).outcome()).isEqualTo(Outcome.APPROVE);
        // a hard limit still declines
        assertThat(resolve(ruleSet, Requests.cip(10_001).build(), state).outcome()).isEqualTo(Outcome.DECLINE);
        // and so does a block entry
        state.listEntry("merchant-1", ListKind.BLOCK, ListDimension.COUNTRY, "PE", "b-1", "test block", null);
        Resolution.Resolved blocked = resolve(ruleSet, Requests.cip(5_000).build(), state);
        assertThat(blocked.outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(blocked.hits()).extracting(RuleHit::ruleId).containsExactly("allow", "always-review", "block");
        // without the allow entry the review rule sends to review
        assertThat(resolve(ruleSet, Requests.cip(5_000).build(), new InMemoryStateView()).outcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldRecordShadowHitsWithoutLettingThemChangeTheOutcome() throws Exception {
        // Given a shadow velocity rule that would block and a shadow weight far above the thresholds
        CompiledRuleSet ruleSet = compiler.compile(Requests.ruleSet(
                rule("shadow-velocity", "velocity-count", "{\"dimension\": \"ACCOUNT\", \"windowSeconds\": 60, \"max\": 1, \"weight\": 500}",
                        RuleAction.BLOCK, RuleMode.SHADOW),
                rule("scores", "score-thresholds", "{\"reviewAt\": 10, \"blockAt\": 20}")));
        InMemoryStateView state = new InMemoryStateView()
                .attempt(Dimension.ACCOUNT, "wallet-1", Requests.NOON.minusSeconds(5), 100, "KES");

        // When
        Resolution.Resolved resolved = resolve(ruleSet, Requests.wallet(100, "KES").build(), state);

        // Then
        assertThat(resolved.outcome()).isEqualTo(Outcome.APPROVE);
        assertThat(resolved.score()).isZero();
        assertThat(resolved.hits()).singleElement().satisfies(hit -> {
            assertThat(hit.ruleId()).isEqualTo("shadow-velocity");
            assertThat(hit.enforced()).isFalse();
            assertThat(hit.ruleSetVersion()).isEqualTo("v1");
            assertThat(hit.message()).isEqualTo("2 requests for this account within 1 minute, above the maximum of 1");
        });
        assertThat(ruleSet.usageKeys(Dimension.ACCOUNT, Requests.input(Requests.wallet(100, "KES").build(), state))).isEmpty();
    }

    @Test
    void shouldNotReserveOnTheCountersOfAShadowLimit() throws Exception {
        CompiledRuleSet ruleSet = compiler.compile(Requests.ruleSet(
                rule("shadow-day", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 1000}}", RuleAction.BLOCK, RuleMode.SHADOW),
                rule("week", "limit", "{\"interval\": \"WEEK\", \"limits\": {\"KES\": 5000}}")));

        assertThat(ruleSet.usageKeys(Dimension.ACCOUNT, Requests.input(Requests.wallet(100, "KES").build(), new InMemoryStateView())))
                .extracting(UsageKey::interval).containsExactly(Interval.WEEK);
    }

    @Test
    void shouldReviewAtTheReviewScoreAndDeclineAtTheBlockScoreWhenWeightedRulesAddUp() throws Exception {
        // Given three weighted review rules, one of them in shadow in a second rule set
        CompiledRuleSet ruleSet = weighted(RuleMode.ENFORCE);

        // When / Then: 30 is below the review score, 55 reaches it, 100 reaches the block score
        assertThat(resolveAt(ruleSet, 10_000, "2026-11-18T17:00:00Z"))
                .extracting(Resolution.Resolved::outcome, Resolution.Resolved::score).containsExactly(Outcome.APPROVE, 30);
        assertThat(resolveAt(ruleSet, 10_000, "2026-11-19T04:00:00Z"))
                .extracting(Resolution.Resolved::outcome, Resolution.Resolved::score).containsExactly(Outcome.REVIEW, 55);
        Resolution.Resolved all = resolveAt(ruleSet, 60_000, "2026-11-19T04:00:00Z");
        assertThat(all.hits()).extracting(RuleHit::ruleId).containsExactly("geo", "night", "device");
        assertThat(all).extracting(Resolution.Resolved::outcome, Resolution.Resolved::score)
                .containsExactly(Outcome.DECLINE, 100);
        assertThat(resolveAt(weighted(RuleMode.SHADOW), 60_000, "2026-11-19T04:00:00Z"))
                .extracting(Resolution.Resolved::outcome, Resolution.Resolved::score).containsExactly(Outcome.REVIEW, 55);
    }

    @Test
    void shouldLetAWeightedReviewRuleReviewOnItsOwnWhenTheRuleSetHasNoThresholds() throws Exception {
        CompiledRuleSet ruleSet = compiler.compile(Requests.ruleSet(
                rule("geo", "geo-mismatch", "{\"weight\": 30}", RuleAction.REVIEW, RuleMode.ENFORCE)));

        assertThat(resolveAt(ruleSet, 10_000, "2026-11-18T17:00:00Z"))
                .extracting(Resolution.Resolved::outcome, Resolution.Resolved::score).containsExactly(Outcome.REVIEW, 30);
    }

    /** Geo mismatch (30), Lima night (25) and a large amount from a new device (45, in {@code deviceMode}). */
    private CompiledRuleSet weighted(RuleMode deviceMode) throws InvalidRuleSetException {
        return compiler.compile(Requests.ruleSet(
                rule("geo", "geo-mismatch", "{\"weight\": 30}", RuleAction.REVIEW, RuleMode.ENFORCE),
                rule("night", "off-hours", "{\"zone\": \"America/Lima\", \"from\": \"22:00\", \"to\": \"06:00\", \"weight\": 25}",
                        RuleAction.REVIEW, RuleMode.ENFORCE),
                rule("device", "new-device-large-amount", "{\"minimums\": {\"PEN\": 50000}, \"weight\": 45}",
                        RuleAction.REVIEW, deviceMode),
                rule("scores", "score-thresholds", "{\"reviewAt\": 50, \"blockAt\": 100}")));
    }

    private static Resolution.Resolved resolveAt(CompiledRuleSet ruleSet, long amountMinor, String at) {
        PaymentRequest request = Requests.cip(amountMinor).setRequestedAt(java.time.Instant.parse(at))
                .setSignals(Requests.signals().setIpCountry("US").setDeviceHash("device-9").build()).build();
        return resolve(ruleSet, request, new InMemoryStateView());
    }

    private static Resolution.Resolved resolve(CompiledRuleSet ruleSet, PaymentRequest request, StateView state) {
        List<RuleHit> hits = new ArrayList<>(ruleSet.evaluate(Dimension.ACCOUNT, Requests.input(request, state)));
        return Resolution.resolve(hits, ruleSet.scoreThresholds());
    }
}
