package dev.ngao.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.money.Amounts;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code ngao explain TRANSACTION_ID}: everything Ngao recorded about one transaction, in time order: the
 * request, every decision with each matched rule (id, rule-set version, what it said, why, shadow or not),
 * review resolutions, provider events and status queries, card authorization answers, the ledger's entries
 * with their postings, ledger refusals, reconciliation breaks and audit records. Each topic is read from its
 * beginning to its end at the time of the call, without a consumer group (nothing a service relies on moves);
 * requests are keyed by account, not by transaction, so every topic is read in full: this is a tool for one
 * transaction at a time, not a query engine.
 */
public final class ExplainCommand {

    public static final String USAGE = "ngao explain TRANSACTION_ID [--json]";
    /** The topics that speak of a transaction, in data-flow order (ties in time are shown in this order). */
    static final List<Topic<?, ?>> TOPICS = List.of(Topics.PAYMENT_REQUESTS, Topics.AUDIT_INGEST,
            Topics.RISK_DECISIONS, Topics.CARD_AUTHORIZATIONS, Topics.RISK_REVIEWS, Topics.AUDIT_RISK,
            Topics.PROVIDER_EVENTS, Topics.PROVIDER_STATUS_QUERIES, Topics.LEDGER_ENTRIES, Topics.AUDIT_LEDGER,
            Topics.RECON_BREAKS, Topics.AUDIT_RECONCILER);
    static final int EXIT_FOUND = 0;
    static final int EXIT_NOT_FOUND = 1;

    private static final Map<String, Function<JsonNode, List<String>>> DESCRIPTIONS = Map.of(
            Topics.PAYMENT_REQUESTS.name(), ExplainCommand::request,
            Topics.RISK_DECISIONS.name(), ExplainCommand::decision,
            Topics.RISK_REVIEWS.name(), value -> List.of(("CHALLENGE".equals(text(value, "source"))
                    ? "challenge result " : "review resolution ") + text(value, "outcome") + " by "
                    + text(value, "analystKeyId") + note(value)),
            Topics.CARD_AUTHORIZATIONS.name(), value -> List.of("authorization answer " + text(value, "outcome")
                    + " by " + text(value, "decidedBy") + " (" + text(value, "reason") + ")"),
            Topics.PROVIDER_EVENTS.name(), ExplainCommand::providerEvent,
            Topics.PROVIDER_STATUS_QUERIES.name(), ExplainCommand::providerEvent,
            Topics.LEDGER_ENTRIES.name(), ExplainCommand::entry,
            Topics.RECON_BREAKS.name(), ExplainCommand::reconciliationBreak);

    private ExplainCommand() {
    }

    /** What one {@code ngao explain} tells, checked before anything connects. */
    public record Request(String transactionId, boolean json) {
    }

    /** @throws IllegalArgumentException for wrong arguments, with the message to show */
    public static Request parse(List<String> arguments) {
        Arguments parsed = Arguments.parse(arguments, Set.of(), Set.of("--json"));
        if (parsed.positionals().size() != 1 || parsed.positionals().get(0).isBlank()) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        return new Request(parsed.positionals().get(0), parsed.flag("--json"));
    }

    /**
     * @return {@link #EXIT_FOUND}, or {@link #EXIT_NOT_FOUND} when no topic mentions the transaction
     * @throws IllegalArgumentException for wrong arguments, with the message to show
     */
    public static int run(List<String> arguments, KafkaContext kafka, PrintStream out) {
        return run(parse(arguments), kafka, out);
    }

    /** @return {@link #EXIT_FOUND}, or {@link #EXIT_NOT_FOUND} when no topic mentions the transaction */
    public static int run(Request request, KafkaContext kafka, PrintStream out) {
        String transactionId = request.transactionId();
        List<TopicRow> rows = collect(kafka, transactionId);
        if (rows.isEmpty()) {
            out.println("No topic mentions transaction " + transactionId);
            return EXIT_NOT_FOUND;
        }
        if (request.json()) {
            rows.forEach(row -> out.println(row.toJson()));
        } else {
            out.print(describe(transactionId, rows));
        }
        out.flush();
        return EXIT_FOUND;
    }

    /** Every row of {@link #TOPICS} about the transaction, in time order, ties in data-flow order. */
    static List<TopicRow> collect(KafkaContext kafka, String transactionId) {
        RowFilter filter = RowFilter.forTransaction(transactionId);
        List<TopicRow> rows = new ArrayList<>();
        for (Topic<?, ?> topic : TOPICS) {
            TopicScan.scan(kafka, topic, true, false, () -> false, row -> {
                if (filter.test(row)) {
                    rows.add(row);
                }
                return true;
            });
        }
        rows.sort(Comparator.comparing(TopicRow::timestamp).thenComparing(row -> topicOrder(row.topic()))
                .thenComparing(TopicRow::offset));
        return rows;
    }

    /** The human-readable timeline. */
    static String describe(String transactionId, List<TopicRow> rows) {
        StringBuilder text = new StringBuilder("Transaction ").append(transactionId).append('\n');
        for (TopicRow row : rows) {
            List<String> lines = DESCRIPTIONS.getOrDefault(row.topic(), ExplainCommand::audit).apply(row.value());
            text.append(String.format("%-24s  %-24s  %s%n", row.timestamp(), row.topic(), lines.get(0)));
            lines.subList(1, lines.size()).forEach(line -> text.append(" ".repeat(52)).append(line).append('\n'));
        }
        return text.toString();
    }

    private static int topicOrder(String topic) {
        for (int index = 0; index < TOPICS.size(); index++) {
            if (TOPICS.get(index).name().equals(topic)) {
                return index;
            }
        }
        return TOPICS.size();
    }

    private static List<String> request(JsonNode value) {
        String line = "request " + text(value, "type") + " " + money(value.path("amount")) + ", merchant "
                + text(value, "merchantId") + ", reference " + text(value, "merchantReference") + ", account "
                + text(value, "accountKind") + " " + text(value, "accountId") + ", provider " + text(value, "provider");
        if (value.hasNonNull("originalTransactionId")) {
            line += ", refunds " + text(value, "originalTransactionId");
        }
        return List.of(line);
    }

    private static List<String> decision(JsonNode value) {
        List<String> lines = new ArrayList<>();
        String score = value.hasNonNull("score") ? ", score " + value.path("score").asInt() : "";
        lines.add("decision " + text(value, "kind") + " " + text(value, "outcome") + " (rule set of "
                + text(value, "merchantRuleSet") + score + ")");
        for (JsonNode reason : value.path("reasons")) {
            String dimension = reason.hasNonNull("dimension") ? " [" + text(reason, "dimension") + "]" : "";
            String shadow = reason.path("shadow").asBoolean() ? " (shadow, not enforced)" : "";
            lines.add("rule " + text(reason, "ruleId") + "@" + text(reason, "ruleSetVersion") + " "
                    + text(reason, "outcome") + dimension + ": " + text(reason, "message") + shadow);
        }
        return lines;
    }

    private static List<String> providerEvent(JsonNode value) {
        String line = "provider " + text(value, "provider") + " " + text(value, "status") + " ("
                + text(value, "transition") + ", from " + text(value, "source") + ")";
        if (value.hasNonNull("providerReference")) {
            line += ", reference " + text(value, "providerReference");
        }
        if (value.hasNonNull("fee")) {
            line += ", fee " + money(value.path("fee"));
        }
        return List.of(line);
    }

    private static List<String> entry(JsonNode value) {
        List<String> lines = new ArrayList<>();
        lines.add("ledger entry " + text(value, "entryId") + " " + text(value, "kind") + " #"
                + value.path("sequence").asLong());
        for (JsonNode posting : value.path("postings")) {
            lines.add(String.format("%-6s %s %s", text(posting, "side"), text(posting, "account"),
                    money(posting.path("amount"))));
        }
        return lines;
    }

    private static List<String> reconciliationBreak(JsonNode value) {
        String line = (value.path("cleared").asBoolean(false) ? "break cleared " : "break ") + text(value, "kind");
        if (value.hasNonNull("settlementDay")) {
            line += " on " + text(value, "settlementDay");
        }
        if (value.hasNonNull("expected") || value.hasNonNull("actual")) {
            line += ", expected " + money(value.path("expected")) + ", actual " + money(value.path("actual"));
        }
        return List.of(line + ": " + text(value, "detail"));
    }

    private static List<String> audit(JsonNode value) {
        List<String> lines = new ArrayList<>();
        lines.add("audit " + text(value, "component") + " " + text(value, "action") + " " + text(value, "outcome")
                + " by " + text(value, "actor"));
        value.path("details").fields().forEachRemaining(detail ->
                lines.add(detail.getKey() + ": " + detail.getValue().asText()));
        return lines;
    }

    private static String note(JsonNode value) {
        return value.hasNonNull("note") ? ": " + text(value, "note") : "";
    }

    /** An amount in its currency's own digits, e.g. "1500.50 KES"; "-" when absent. */
    static String money(JsonNode money) {
        if (!money.hasNonNull("amountMinor")) {
            return "-";
        }
        long minor = money.path("amountMinor").asLong();
        String currency = text(money, "currency");
        try {
            return Amounts.toDecimalText(minor, currency) + " " + currency;
        } catch (RuntimeException e) {
            // A currency this build does not know still shows, in minor units.
            return minor + " minor units of " + currency;
        }
    }

    private static String text(JsonNode value, String field) {
        JsonNode node = value.path(field);
        return node.isMissingNode() || node.isNull() ? "-" : node.asText();
    }
}
