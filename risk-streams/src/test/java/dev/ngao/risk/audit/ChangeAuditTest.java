package dev.ngao.risk.audit;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.events.Rule;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.risk.audit.ChangeAudit.Position;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeAuditTest {

    private static final Instant PUBLISHED_AT = Instant.parse("2026-11-22T10:15:30.123Z");
    private static final Position RULE_SETS_AT = new Position(Topics.RISK_RULESETS.name(), 2, 41);
    private static final Position LISTS_AT = new Position(Topics.RISK_LISTS.name(), 4, 7);
    private static final String EMAIL = "ana.perez@example.com";
    private static final String MSISDN = "+254712345678";

    private final RuleSetCompiler compiler = new RuleSetCompiler();

    @Test
    void shouldAuditAnAcceptedRuleSetWithWhoPublishedItUnderItsOwnerVersionAndPublicationTime() {
        // Given a rule set that compiles, one of its two rules in shadow mode
        RuleSetPublished published = ruleSet("lima-shop", "2026-11-22.1",
                new Rule("per-transaction", "limit", "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 1000}}",
                        RuleAction.BLOCK, RuleMode.ENFORCE),
                new Rule("daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 5000}}", RuleAction.BLOCK,
                        RuleMode.SHADOW));

        // When audited as risk-streams judges it
        AuditRecord audit = ChangeAudit.ruleSetPublished("lima-shop", published,
                RuleSetVerdict.of("lima-shop", published, compiler::compile), "0af7651916cd43dd8448eb211c80319c");

        // Then it says accepted, by whom, of which owner and version, under a deterministic id
        assertThat(audit.getAuditId()).isEqualTo("ruleset:lima-shop:2026-11-22.1:" + PUBLISHED_AT.toEpochMilli());
        assertThat(audit.getComponent()).isEqualTo("risk-streams");
        assertThat(audit.getActor()).isEqualTo("ops-key");
        assertThat(audit.getAction()).isEqualTo("ruleset.published");
        assertThat(audit.getSubjectType()).isEqualTo("rule-set");
        assertThat(audit.getSubjectId()).isEqualTo("lima-shop");
        assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(audit.getOccurredAt()).isEqualTo(PUBLISHED_AT);
        assertThat(audit.getDetails()).containsEntry("result", "accepted").containsEntry("version", "2026-11-22.1")
                .containsEntry("rules", "2").containsEntry("shadowRules", "1")
                .containsEntry("traceId", "0af7651916cd43dd8448eb211c80319c")
                .doesNotContainKey("problemCount");
    }

    @Test
    void shouldAuditARefusedRuleSetWithEveryProblemTheCompilerNamed() {
        // Given a rule set with two rules the compiler refuses
        RuleSetPublished published = ruleSet("lima-shop", "2026-11-22.2",
                new Rule("teleport", "teleport-check", "{}", RuleAction.BLOCK, RuleMode.ENFORCE),
                new Rule("daily", "limit", "{\"interval\": \"FORTNIGHT\"}", RuleAction.BLOCK, RuleMode.ENFORCE));
        RuleSetVerdict verdict = RuleSetVerdict.of("lima-shop", published, compiler::compile);

        // When audited
        AuditRecord audit = ChangeAudit.ruleSetPublished("lima-shop", published, verdict, null);

        // Then it is refused with each problem, numbered, naming its rule
        assertThat(verdict.problems()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(audit.getDetails()).containsEntry("result", "refused")
                .containsEntry("problemCount", Integer.toString(verdict.problems().size()))
                .doesNotContainKey("traceId");
        for (int index = 0; index < verdict.problems().size(); index++) {
            // A long problem (the unknown type's, naming the whole catalogue) is cut
            String problem = verdict.problems().get(index);
            assertThat(audit.getDetails()).containsEntry(String.format("problem.%03d", index + 1),
                    problem.length() <= ChangeAudit.MAX_PROBLEM_LENGTH ? problem
                            : problem.substring(0, ChangeAudit.MAX_PROBLEM_LENGTH) + "...");
        }
        assertThat(audit.getDetails().get("problem.001")).contains("teleport");
        assertThat(audit.getDetails().get("problem.002")).contains("daily");
    }

    @Test
    void shouldRefuseARuleSetPublishedUnderAnotherMerchantsKeyAsTheTopologyDoes() {
        // Given a rule set of one merchant published under another's key
        RuleSetPublished published = ruleSet("lima-shop", "v1",
                new Rule("per-transaction", "limit", "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 1000}}",
                        RuleAction.BLOCK, RuleMode.ENFORCE));

        // When judged, then it is refused, naming both
        RuleSetVerdict verdict = RuleSetVerdict.of("nairobi-shop", published, compiler::compile);
        assertThat(verdict.result()).isEqualTo(RuleSetVerdict.Result.REFUSED);
        assertThat(verdict.problems()).singleElement().asString().contains("nairobi-shop", "lima-shop");
    }

    @Test
    void shouldAuditAPersonalListEntryByItsHashAndMaskOnlyEvenWhenTheEventCarriesItInClear() {
        // Given a block-list entry of a phone number whose producer wrongly put the number in clear, with a reason
        // naming a person
        String key = "lima-shop|BLOCK|PHONE|msisdn:5f1c0e3a9b7d2c4e6f8a0b1c2d3e4f50";
        ListEntryChange change = entry(ListDimension.PHONE, "msisdn:5f1c0e3a9b7d2c4e6f8a0b1c2d3e4f50", MSISDN,
                "+2547******78", "chargebacks by " + EMAIL);

        // When audited
        AuditRecord audit = ChangeAudit.listEntrySet(key, change, LISTS_AT, null);

        // Then merchant, list, dimension, hash and mask are recorded, and neither the number nor the reason
        assertThat(audit.getAuditId()).isEqualTo("list-entry:" + key + "@4:7");
        assertThat(audit.getAction()).isEqualTo("list.entry.set");
        assertThat(audit.getActor()).isEqualTo("ops-key");
        assertThat(audit.getSubjectType()).isEqualTo("list-entry");
        assertThat(audit.getSubjectId()).isEqualTo(key);
        assertThat(audit.getDetails()).containsEntry("merchantId", "lima-shop").containsEntry("list", "BLOCK")
                .containsEntry("dimension", "PHONE").containsEntry("valueHash", "msisdn:5f1c0e3a9b7d2c4e6f8a0b1c2d3e4f50")
                .containsEntry("valueMasked", "+2547******78")
                .doesNotContainKey("value").doesNotContainKey("reason");
        assertThat(audit.toString()).doesNotContain(MSISDN, EMAIL, "254712345678");
    }

    @Test
    void shouldAuditAnIpEntryWithItsValueAsTheListEventCarriesIt() {
        ListEntryChange change = entry(ListDimension.IP, "ip:00112233445566778899aabbccddeeff", "203.0.113.9", null,
                "scraping");

        AuditRecord audit = ChangeAudit.listEntrySet("lima-shop|BLOCK|IP|ip:00112233445566778899aabbccddeeff", change,
                LISTS_AT, null);

        assertThat(audit.getDetails()).containsEntry("value", "203.0.113.9").doesNotContainKey("valueMasked");
    }

    @Test
    void shouldAuditARemovalFromItsKeyAloneWhenTheTombstoneNamesNoOne() {
        // When a list entry's tombstone and a rule set's are audited
        String key = "lima-shop|ALLOW|EMAIL|email:0123456789abcdef0123456789abcdef";
        AuditRecord entry = ChangeAudit.listEntryRemoved(key, LISTS_AT, PUBLISHED_AT, "trace-1");
        AuditRecord ruleSet = ChangeAudit.ruleSetRemoved("lima-shop", RULE_SETS_AT, PUBLISHED_AT, null);

        // Then each is read back from the key, under an id of key and position, by an unknown actor
        assertThat(entry.getAuditId()).isEqualTo("list-entry:" + key + "@4:7");
        assertThat(entry.getAction()).isEqualTo("list.entry.removed");
        assertThat(entry.getActor()).isEqualTo("unknown");
        assertThat(entry.getDetails()).containsEntry("merchantId", "lima-shop").containsEntry("list", "ALLOW")
                .containsEntry("dimension", "EMAIL").containsEntry("valueHash", "email:0123456789abcdef0123456789abcdef")
                .containsEntry("traceId", "trace-1");
        assertThat(ruleSet.getAuditId()).isEqualTo("ruleset-removed:lima-shop@2:41");
        assertThat(ruleSet.getAction()).isEqualTo("ruleset.removed");
        assertThat(ruleSet.getSubjectId()).isEqualTo("lima-shop");
    }

    @Test
    void shouldGiveTheSameChangeTheSameRecordWhenReadAgain() {
        RuleSetPublished published = ruleSet("lima-shop", "v1",
                new Rule("teleport", "teleport-check", "{}", RuleAction.BLOCK, RuleMode.ENFORCE));

        AuditRecord first = ChangeAudit.ruleSetPublished("lima-shop", published,
                RuleSetVerdict.of("lima-shop", published, compiler::compile), null);
        AuditRecord again = ChangeAudit.ruleSetPublished("lima-shop", published,
                RuleSetVerdict.of("lima-shop", published, compiler::compile), null);

        assertThat(again).isEqualTo(first);
    }

    private static RuleSetPublished ruleSet(String merchantId, String version, Rule... rules) {
        return RuleSetPublished.newBuilder()
                .setMerchantId(merchantId)
                .setVersion(version)
                .setRules(List.of(rules))
                .setApiKeyId("ops-key")
                .setPublishedAt(PUBLISHED_AT)
                .build();
    }

    private static ListEntryChange entry(ListDimension dimension, String valueHash, String value, String masked,
                                         String reason) {
        return ListEntryChange.newBuilder()
                .setEntryId(dimension.name().toLowerCase() + "_" + valueHash.substring(valueHash.indexOf(':') + 1))
                .setMerchantId("lima-shop")
                .setList(ListKind.BLOCK)
                .setDimension(dimension)
                .setValueHash(valueHash)
                .setValue(value)
                .setValueMasked(masked)
                .setReason(reason)
                .setApiKeyId("ops-key")
                .setChangedAt(PUBLISHED_AT)
                .build();
    }

    @Test
    void shouldAuditAnEmergencyStopSetAndLiftedByTheOperatorsKeyUnderItsKeyAndPlace() {
        Position stopsAt = new Position(Topics.RISK_STOPS.name(), 0, 12);
        String stopKey = Topics.stopKey(StopScope.PROVIDER, "pagoefectivo", StopTraffic.ALL);
        EmergencyStop set = EmergencyStop.newBuilder().setStopId(stopKey).setScope(StopScope.PROVIDER)
                .setTarget("pagoefectivo").setTraffic(StopTraffic.ALL).setActive(true).setReason("provider outage")
                .setApiKeyId("ops-key").setChangedAt(PUBLISHED_AT).build();

        AuditRecord audit = ChangeAudit.stop(stopKey, set, stopsAt, null);

        assertThat(audit.getAuditId()).isEqualTo("emergency-stop:" + stopKey + "@0:12");
        assertThat(audit.getAction()).isEqualTo("emergency-stop.set");
        assertThat(audit.getActor()).isEqualTo("ops-key");
        assertThat(audit.getSubjectType()).isEqualTo("emergency-stop");
        assertThat(audit.getSubjectId()).isEqualTo(stopKey);
        assertThat(audit.getOccurredAt()).isEqualTo(PUBLISHED_AT);
        assertThat(audit.getDetails()).containsEntry("scope", "PROVIDER").containsEntry("target", "pagoefectivo")
                .containsEntry("traffic", "ALL").containsEntry("active", "true")
                .containsEntry("reason", "provider outage");

        set.setActive(false);
        assertThat(ChangeAudit.stop(stopKey, set, new Position(Topics.RISK_STOPS.name(), 0, 13), null).getAction())
                .isEqualTo("emergency-stop.lifted");
        assertThat(ChangeAudit.stopRemoved(stopKey, new Position(Topics.RISK_STOPS.name(), 0, 14), PUBLISHED_AT, null)
                .getAction()).isEqualTo("emergency-stop.removed");
        assertThat(ChangeAudit.unreadable(stopKey, stopsAt, PUBLISHED_AT, "bad bytes").getSubjectType())
                .isEqualTo("emergency-stop");
    }
}
