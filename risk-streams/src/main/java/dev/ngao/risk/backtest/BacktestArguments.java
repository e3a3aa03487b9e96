package dev.ngao.risk.backtest;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The command line of {@link Backtest}: the candidate rule set file, optionally a live one to use instead
 * of what risk.rulesets holds for its owner, and the range of payments.requests to replay, by offsets
 * (on every partition, or one) or by record time (UTC), both ends half-open: [from, to).
 */
record BacktestArguments(Path candidate, Optional<Path> live, Optional<Long> fromOffset, Optional<Long> toOffset,
                         Optional<Instant> fromTime, Optional<Instant> toTime, Optional<Integer> partition,
                         int maxRequests, int examples) {

    static final int DEFAULT_MAX_REQUESTS = 100_000;
    static final int MAX_MAX_REQUESTS = 5_000_000;
    static final int DEFAULT_EXAMPLES = 5;

    static final String USAGE = """
            usage: ngao backtest --candidate FILE [--live FILE]
                                 [--from-offset N] [--to-offset N] [--partition N] | [--from-time T] [--to-time T]
                                 [--max-requests N] [--examples N]
              --candidate FILE   rule set to try (JSON or YAML, the shape POST /v1/rule-sets accepts)
              --live FILE        the owner's live rule set; default: its latest good version on risk.rulesets
              --from-offset N    first offset replayed on each partition (default: the beginning)
              --to-offset N      offset replayed up to, excluded (default: the end)
              --partition N      replay only this partition of payments.requests
              --from-time T      first record time replayed, ISO-8601 UTC (2026-03-10T00:00:00Z)
              --to-time T        record time replayed up to, excluded
              --max-requests N   refuse a range holding more records (default 100000)
              --examples N       changed transactions printed (default 5)
            Environment: the NGAO_* variables of risk-streams (Kafka, schema registry, built-in limits).
            FILE names are relative to the directory ngao is run from.
            Exit status: 0 done, 1 failed (e.g. Kafka unreachable), 64 bad usage, a missing or bad rule set file.""";

    static final String SHORT_USAGE = "usage: ngao backtest --candidate FILE [options]; ngao backtest alone lists them";

    /** @throws IllegalArgumentException with a message for the user */
    static BacktestArguments parse(String[] args) {
        Path candidate = null;
        Path live = null;
        Long fromOffset = null;
        Long toOffset = null;
        Instant fromTime = null;
        Instant toTime = null;
        Integer partition = null;
        int maxRequests = DEFAULT_MAX_REQUESTS;
        int examples = DEFAULT_EXAMPLES;
        for (int index = 0; index < args.length; index += 2) {
            String option = args[index];
            if (index + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[index + 1];
            switch (option) {
                case "--candidate" -> candidate = Path.of(value);
                case "--live" -> live = Path.of(value);
                case "--from-offset" -> fromOffset = number(option, value, 0, Long.MAX_VALUE);
                case "--to-offset" -> toOffset = number(option, value, 0, Long.MAX_VALUE);
                case "--partition" -> partition = (int) number(option, value, 0, Integer.MAX_VALUE);
                case "--from-time" -> fromTime = instant(option, value);
                case "--to-time" -> toTime = instant(option, value);
                case "--max-requests" -> maxRequests = (int) number(option, value, 1, MAX_MAX_REQUESTS);
                case "--examples" -> examples = (int) number(option, value, 0, 1_000);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (candidate == null) {
            throw new IllegalArgumentException("--candidate is required");
        }
        if ((fromOffset != null || toOffset != null) && (fromTime != null || toTime != null)) {
            throw new IllegalArgumentException("give a range by offsets or by time, not both");
        }
        if (fromOffset != null && toOffset != null && toOffset < fromOffset) {
            throw new IllegalArgumentException("--to-offset is before --from-offset");
        }
        if (fromTime != null && toTime != null && toTime.isBefore(fromTime)) {
            throw new IllegalArgumentException("--to-time is before --from-time");
        }
        return new BacktestArguments(candidate, Optional.ofNullable(live), Optional.ofNullable(fromOffset),
                Optional.ofNullable(toOffset), Optional.ofNullable(fromTime), Optional.ofNullable(toTime),
                Optional.ofNullable(partition), maxRequests, examples);
    }

    private static long number(String option, String value, long minimum, long maximum) {
        try {
            long number = Long.parseLong(value);
            if (number < minimum || number > maximum) {
                throw new IllegalArgumentException(option + " must be between " + minimum + " and " + maximum);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got " + value);
        }
    }

    private static Instant instant(String option, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 UTC instant such as "
                    + "2026-03-10T00:00:00Z, got " + value);
        }
    }
}
