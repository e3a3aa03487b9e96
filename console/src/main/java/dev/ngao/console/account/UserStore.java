package dev.ngao.console.account;

import dev.ngao.events.ConsoleUserRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The console's accounts in memory, folded from {@code console.users} (the feed calls {@link #apply}), and
 * saved through {@code durable}, which returns once Kafka acknowledged the record. A record read from the topic
 * replaces the account held only when it is newer (by {@code updatedAt}, milliseconds): the feed catching up with
 * this instance's own writes does not roll an account back.
 */
public final class UserStore {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

    private final Map<String, ConsoleUser> users = new ConcurrentHashMap<>();
    private final Consumer<ConsoleUserRecord> durable;

    /** @param durable writes a record and returns once it is durable; throws when it could not be */
    public UserStore(Consumer<ConsoleUserRecord> durable) {
        this.durable = durable;
    }

    public Optional<ConsoleUser> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(users.get(username));
    }

    /** Every account, by username. */
    public List<ConsoleUser> all() {
        return users.values().stream().sorted(Comparator.comparing(ConsoleUser::username)).toList();
    }

    /** Writes the account, then serves it. */
    public void save(ConsoleUser user) {
        durable.accept(UserRecords.toRecord(user));
        users.put(user.username(), user);
    }

    /** A record read from the topic. */
    public void apply(ConsoleUserRecord record) {
        try {
            ConsoleUser read = UserRecords.fromRecord(record);
            users.merge(read.username(), read, (held, given) -> given.updatedAt().isAfter(held.updatedAt()) ? given : held);
        } catch (IllegalArgumentException e) {
            LOG.error("Console account left out: {}", e.getMessage());
        }
    }
}
