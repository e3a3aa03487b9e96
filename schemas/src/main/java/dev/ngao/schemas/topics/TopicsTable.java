package dev.ngao.schemas.topics;

import java.time.Duration;
import java.util.List;

/**
 * The topics as the root README shows them, generated from their definitions in {@link Topics} so that the
 * table cannot drift from what the services create ({@code ./ngao topics-docs} prints it).
 */
public final class TopicsTable {

    private TopicsTable() {
    }

    /** One Markdown table, a row per topic in declaration order. */
    public static String markdown(List<Topic<?, ?>> topics) {
        StringBuilder table = new StringBuilder()
                .append("| topic | value | writer | partitions | retention | what it holds |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (Topic<?, ?> topic : topics) {
            table.append("| `").append(topic.name()).append("` | `")
                    .append(topic.valueType().getSimpleName()).append("` | ")
                    .append(writer(topic.writer())).append(" | ")
                    .append(topic.partitions()).append(" | ")
                    .append(retention(topic)).append(" | ")
                    .append(topic.description() == null ? "" : topic.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String writer(Writer writer) {
        return switch (writer) {
            case INGEST_SERVICE -> "ingest-service";
            case RISK_STREAMS -> "risk-streams";
            case LEDGER_SERVICE -> "ledger-service";
            case RECONCILER -> "reconciler";
            case CONSOLE -> "console";
            case SCHEMA_STORE -> "the embedded schema store";
        };
    }

    private static String retention(Topic<?, ?> topic) {
        if (topic.cleanupPolicy() == CleanupPolicy.COMPACT) {
            return "compacted";
        }
        Duration retention = topic.retention();
        if (retention.equals(Topic.FOREVER)) {
            return "forever";
        }
        if (retention.toHours() % 24 != 0) {
            return retention.toHours() + " hours";
        }
        long days = retention.toDays();
        return days + (days == 1 ? " day" : " days");
    }
}
