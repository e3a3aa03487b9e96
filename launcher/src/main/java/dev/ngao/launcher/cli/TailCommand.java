package dev.ngao.launcher.cli;

import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * {@code ngao tail TOPIC}: a topic decoded to JSON lines ({@link TopicRow#toJson()}), optionally filtered by
 * transaction, merchant or outcome. Reads from the beginning by default; {@code --new} starts at the end;
 * {@code --follow} keeps reading until Ctrl-C; {@code --max N} stops after N matching rows.
 */
public final class TailCommand {

    public static final String USAGE = "ngao tail TOPIC [--transaction ID] [--merchant ID] [--outcome OUTCOME]"
            + " [--new] [--follow] [--max N]";
    private static final Set<String> OPTIONS = Set.of("--transaction", "--merchant", "--outcome", "--max");
    private static final Set<String> FLAGS = Set.of("--new", "--follow");

    private TailCommand() {
    }

    /** What one {@code ngao tail} reads and prints, checked before anything connects. */
    public record Request(Topic<?, ?> topic, RowFilter filter, long max, boolean fromStart, boolean follow) {
    }

    /**
     * @throws IllegalArgumentException for an unknown topic or option, with the message to show
     */
    public static Request parse(List<String> arguments) {
        Arguments parsed = Arguments.parse(arguments, OPTIONS, FLAGS);
        if (parsed.positionals().size() != 1) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        return new Request(topic(parsed.positionals().get(0)), new RowFilter(parsed.option("--transaction"),
                parsed.option("--merchant"), parsed.option("--outcome")), parsed.positive("--max", Long.MAX_VALUE),
                !parsed.flag("--new"), parsed.flag("--follow"));
    }

    /**
     * @throws IllegalArgumentException for an unknown topic or option, with the message to show
     */
    public static void run(List<String> arguments, KafkaContext kafka, BooleanSupplier stop, PrintStream out) {
        run(parse(arguments), kafka, stop, out);
    }

    public static void run(Request request, KafkaContext kafka, BooleanSupplier stop, PrintStream out) {
        AtomicLong printed = new AtomicLong();
        TopicScan.scan(kafka, request.topic(), request.fromStart(), request.follow(), stop, row -> {
            if (request.filter().test(row)) {
                out.println(row.toJson());
                return printed.incrementAndGet() < request.max();
            }
            return true;
        });
        out.flush();
    }

    /** The topic of that name, from the one definition of every topic. */
    static Topic<?, ?> topic(String name) {
        return Topics.ALL.stream().filter(topic -> topic.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic '" + name + "'; topics: "
                        + Topics.ALL.stream().map(Topic::name).sorted().collect(Collectors.joining(", "))));
    }
}
