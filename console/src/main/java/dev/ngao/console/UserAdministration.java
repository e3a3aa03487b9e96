package dev.ngao.console;

import dev.ngao.console.account.Accounts;
import dev.ngao.console.account.ConsoleUser;
import dev.ngao.console.account.Role;
import dev.ngao.events.ConsoleUserRecord;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operators' side of people's accounts, for {@code ngao users}: invite a person (a one-time enrolment link),
 * give an account a new enrolment link, list the accounts. Reads {@code console.users} to its end before it
 * answers, so it sees every account the consoles made; each change is audited on {@code audit.console}.
 */
public final class UserAdministration implements AutoCloseable {

    private final ConsoleConfig config;
    private final AccountsBackend backend;
    private final String operator;

    private UserAdministration(ConsoleConfig config, AccountsBackend backend, String operator) {
        this.config = config;
        this.backend = backend;
        this.operator = operator;
    }

    /**
     * Connects and reads every account.
     *
     * @param operator who runs the command, as the audit trail names them (the OS user of the command line)
     */
    public static UserAdministration open(ConsoleConfig config, KafkaContext kafka, String operator)
            throws TimeoutException {
        AccountsBackend backend = AccountsBackend.start(config, kafka, Clock.systemUTC(), "ngao-users-cli");
        try (KafkaConsumer<String, ConsoleUserRecord> consumer = backend.usersConsumer()) {
            AtomicReference<ViewFeed> feed = new AtomicReference<>();
            feed.set(new ViewFeed(List.of(new ViewFeed.Source<>(Topics.CONSOLE_USERS.name(), consumer,
                    backend.users()::apply)), config.pollTimeout(), () -> feed.get().stop()));
            feed.get().run();
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        return new UserAdministration(config, backend, operator);
    }

    /** @throws IllegalArgumentException when the username is malformed or taken, or the key cannot serve the role */
    public Accounts.Invitation invite(String username, Role role, String keyId) {
        return backend.accounts().invite(username, role, keyId, operator);
    }

    /** @throws IllegalArgumentException when there is no such account */
    public Accounts.Invitation reset(String username) {
        return backend.accounts().reset(username, operator);
    }

    public List<ConsoleUser> list() {
        return backend.accounts().list();
    }

    /** The link that opens the console's enrolment page; the token is in the fragment, which no server logs. */
    public String enrolmentLink(Accounts.Invitation invitation) {
        return config.publicUrl() + "/#enrol=" + invitation.token();
    }

    @Override
    public void close() {
        backend.close();
    }
}
