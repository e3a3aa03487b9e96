package dev.ngao.risk.audit;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.events.StopScope;
import dev.ngao.schemas.topics.Topics;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The audit records of rule-set publications, list changes and emergency stops on {@code audit.risk}. Every field is deterministic
 * from the change and where it sits on its topic, so a change read again (at-least-once delivery, a rebalance, a
 * restart before the commit) yields the same record under the same {@code auditId}, by which readers de-duplicate:
 * <ul>
 *   <li>a rule set: {@code ruleset:<owner>:<version>:<publishedAt ms>}, a removal (tombstone)
 *   {@code ruleset-removed:<owner>@<partition>:<offset>};</li>
 *   <li>a list entry: {@code list-entry:<entry key>@<partition>:<offset>}, set or removed alike; the entry key
 *   ({@code merchant|LIST|DIMENSION|valueHash}) holds a keyed hash, never the value;</li>
 *   <li>an emergency stop set or lifted: {@code emergency-stop:<stop key>@<partition>:<offset>} (the key is
 *   {@code SCOPE|target|TRAFFIC}); its reason is recorded, as merchants see it in their declines.</li>
 * </ul>
 * Personal values never appear: a list entry of an e-mail, phone, device or DNI is named by its keyed hash and its
 * mask only, and the operator's free-text reason stays on {@code risk.lists} (it may hold what an audit must not).
 * Only IP, CIDR and COUNTRY values, which the list event itself carries in clear, are recorded as they are.
 */
final class ChangeAudit {

    static final String COMPONENT = "risk-streams";
    static final String RULE_SET_PUBLISHED = "ruleset.published";
    static final String RULE_SET_REMOVED = "ruleset.removed";
    static final String LIST_ENTRY_SET = "list.entry.set";
    static final String LIST_ENTRY_REMOVED = "list.entry.removed";
    static final String STOP_SET = "emergency-stop.set";
    static final String STOP_LIFTED = "emergency-stop.lifted";
    static final String STOP_REMOVED = "emergency-stop.removed";
    static final String UNREADABLE = "change.unreadable";
    static final String SUBJECT_RULE_SET = "rule-set";
    static final String SUBJECT_LIST_ENTRY = "list-entry";
    static final String SUBJECT_STOP = "emergency-stop";
    /** Who removed an entry or a rule set: a tombstone names no one (the request is on audit.ingest, by trace id). */
    static final String UNKNOWN_ACTOR = "unknown";
    /** A problem names a rule and a rule of the compiler: short. Longer text is cut. */
    static final int MAX_PROBLEM_LENGTH = 300;
    /** Problems listed at most (a rule set has at most 500 rules); {@code problemCount} tells them all. */
    static final int MAX_PROBLEMS = 1_000;

    private static final Set<ListDimension> CLEAR_DIMENSIONS = Set.of(ListDimension.IP, ListDimension.CIDR,
            ListDimension.COUNTRY);

    private ChangeAudit() {
    }

    /** Where a change sits on its topic: what makes the id of a change without an id of its own. */
    record Position(String topic, int partition, long offset) {

        @Override
        public String toString() {
            return partition + ":" + offset;
        }
    }

    static AuditRecord ruleSetPublished(String owner, RuleSetPublished published, RuleSetVerdict verdict,
                                        String traceId) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("merchantId", owner);
        details.put("version", published.getVersion());
        details.put("result", verdict.result().name().toLowerCase(Locale.ROOT));
        details.put("rules", Integer.toString(published.getRules().size()));
        details.put("shadowRules", Integer.toString(verdict.shadowRules()));
        details.put("publishedAt", published.getPublishedAt().toString());
        if (!verdict.problems().isEmpty()) {
            details.put("problemCount", Integer.toString(verdict.problems().size()));
            for (int index = 0; index < verdict.problems().size() && index < MAX_PROBLEMS; index++) {
                details.put(String.format("problem.%03d", index + 1), cut(verdict.problems().get(index)));
            }
        }
        putTrace(details, traceId);
        AuditOutcome outcome = switch (verdict.result()) {
            case ACCEPTED -> AuditOutcome.SUCCESS;
            case REFUSED -> AuditOutcome.REFUSED;
            case FAILED -> AuditOutcome.FAILED;
        };
        String auditId = "ruleset:" + owner + ":" + published.getVersion() + ":"
                + published.getPublishedAt().toEpochMilli();
        return build(auditId, published.getPublishedAt(), published.getApiKeyId(), RULE_SET_PUBLISHED,
                SUBJECT_RULE_SET, owner, outcome, details);
    }

    static AuditRecord ruleSetRemoved(String owner, Position position, Instant at, String traceId) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("merchantId", owner);
        details.put("result", "removed");
        putTrace(details, traceId);
        return build("ruleset-removed:" + owner + "@" + position, at, UNKNOWN_ACTOR, RULE_SET_REMOVED,
                SUBJECT_RULE_SET, owner, AuditOutcome.SUCCESS, details);
    }

    static AuditRecord listEntrySet(String entryKey, ListEntryChange change, Position position, String traceId) {
        Map<String, String> details = entryDetails(change.getMerchantId(), change.getList().name(),
                change.getDimension().name(), change.getValueHash());
        details.put("entryId", change.getEntryId());
        if (CLEAR_DIMENSIONS.contains(change.getDimension()) && change.getValue() != null) {
            details.put("value", change.getValue());
        } else if (change.getValueMasked() != null) {
            details.put("valueMasked", change.getValueMasked());
        }
        if (change.getExpiresAt() != null) {
            details.put("expiresAt", change.getExpiresAt().toString());
        }
        putTrace(details, traceId);
        return build("list-entry:" + entryKey + "@" + position, change.getChangedAt(), change.getApiKeyId(),
                LIST_ENTRY_SET, SUBJECT_LIST_ENTRY, entryKey, AuditOutcome.SUCCESS, details);
    }

    /** A tombstone: the merchant, list, dimension and value hash are read back from its key. */
    static AuditRecord listEntryRemoved(String entryKey, Position position, Instant at, String traceId) {
        String[] parts = entryKey.split("\\|", -1);
        Map<String, String> details = parts.length == 4
                ? entryDetails(parts[0], parts[1], parts[2], parts[3]) : new LinkedHashMap<>();
        putTrace(details, traceId);
        return build("list-entry:" + entryKey + "@" + position, at, UNKNOWN_ACTOR, LIST_ENTRY_REMOVED,
                SUBJECT_LIST_ENTRY, entryKey, AuditOutcome.SUCCESS, details);
    }

    /** An operator's emergency stop as risk-streams applies it: set (in force) or lifted. */
    static AuditRecord stop(String stopKey, EmergencyStop stop, Position position, String traceId) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("scope", stop.getScope().name());
        if (stop.getTarget() != null) {
            details.put("target", stop.getTarget());
            if (stop.getScope() == StopScope.MERCHANT) {
                // Named as every other merchant's record is, so a reader following one merchant sees its stops.
                details.put("merchantId", stop.getTarget());
            }
        }
        details.put("traffic", stop.getTraffic().name());
        details.put("active", Boolean.toString(stop.getActive()));
        details.put("reason", cut(stop.getReason()));
        putTrace(details, traceId);
        return build("emergency-stop:" + stopKey + "@" + position, stop.getChangedAt(), stop.getApiKeyId(),
                stop.getActive() ? STOP_SET : STOP_LIFTED, SUBJECT_STOP, stopKey, AuditOutcome.SUCCESS, details);
    }

    /** A stop's tombstone (compaction's, or a removal): named by its key and place, by no one. */
    static AuditRecord stopRemoved(String stopKey, Position position, Instant at, String traceId) {
        Map<String, String> details = new LinkedHashMap<>();
        putTrace(details, traceId);
        return build("emergency-stop:" + stopKey + "@" + position, at, UNKNOWN_ACTOR, STOP_REMOVED, SUBJECT_STOP,
                stopKey, AuditOutcome.SUCCESS, details);
    }

    /** A change risk-streams cannot decode, so cannot have applied: named by where it is, never by its bytes. */
    static AuditRecord unreadable(String key, Position position, Instant at, String problem) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("topic", position.topic());
        details.put("partition", Integer.toString(position.partition()));
        details.put("offset", Long.toString(position.offset()));
        details.put("problem", cut(problem));
        String where = position.topic() + "@" + position;
        String subjectType = position.topic().equals(Topics.RISK_RULESETS.name()) ? SUBJECT_RULE_SET
                : position.topic().equals(Topics.RISK_STOPS.name()) ? SUBJECT_STOP : SUBJECT_LIST_ENTRY;
        return build("unreadable:" + where, at, UNKNOWN_ACTOR, UNREADABLE, subjectType, key != null ? key : where,
                AuditOutcome.FAILED, details);
    }

    private static Map<String, String> entryDetails(String merchantId, String list, String dimension,
                                                    String valueHash) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("merchantId", merchantId);
        details.put("list", list);
        details.put("dimension", dimension);
        details.put("valueHash", valueHash);
        return details;
    }

    private static void putTrace(Map<String, String> details, String traceId) {
        if (traceId != null) {
            details.put("traceId", traceId);
        }
    }

    private static AuditRecord build(String auditId, Instant at, String actor, String action, String subjectType,
                                     String subjectId, AuditOutcome outcome, Map<String, String> details) {
        return AuditRecord.newBuilder()
                .setAuditId(auditId)
                .setOccurredAt(Instant.ofEpochMilli(at.toEpochMilli()))
                .setComponent(COMPONENT)
                .setActor(actor == null || actor.isBlank() ? UNKNOWN_ACTOR : actor)
                .setAction(action)
                .setSubjectType(subjectType)
                .setSubjectId(subjectId)
                .setOutcome(outcome)
                .setDetails(new HashMap<>(details))
                .build();
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_PROBLEM_LENGTH ? text : text.substring(0, MAX_PROBLEM_LENGTH) + "...";
    }
}
