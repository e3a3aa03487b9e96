package dev.ngao.console;

import dev.ngao.console.account.Accounts;
import dev.ngao.console.account.AuditTrail;
import dev.ngao.console.account.PasswordHasher;
import dev.ngao.console.account.UserStore;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.ConsoleUserRecord;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What people's accounts stand on, for the console service and the users command alike: the API keys (read from
 * {@code ingest.api-keys} with the master key, for the secret each account's calls are signed with), the accounts
 * on {@code console.users}, and the audit trail on {@code audit.console}. Accounts are read into the store by a
 * feed of the caller's ({@link #usersConsumer}); writes wait for Kafka's acknowledgement.
 */
final class AccountsBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsBackend.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaContext kafka;
    private final String clientId;
    private final KafkaKeyStore keys;
    private final KafkaProducer<String, ConsoleUserRecord> usersProducer;
    private final KafkaProducer<String, AuditRecord> auditProducer;
    private final UserStore users;
    private final KafkaAuditTrail audit;
    private final Accounts accounts;

    private AccountsBackend(ConsoleConfig config, KafkaContext kafka, Clock clock, String clientId,
                            PasswordHasher.Cost cost) throws TimeoutException {
        this.kafka = kafka;
        this.clientId = clientId;
        SecureRandom random = new SecureRandom();
        SecretCipher cipher = new SecretCipher(config.masterKey(), random);
        kafka.ensureTopics(List.of(Topics.CONSOLE_USERS, Topics.AUDIT_CONSOLE), clientId);
        this.keys = new KafkaKeyStore(kafka, cipher, clientId).start();
        this.usersProducer = kafka.producer(Topics.CONSOLE_USERS, clientId + "-users-writer");
        this.auditProducer = kafka.producer(Topics.AUDIT_CONSOLE, clientId + "-audit");
        this.users = new UserStore(this::write);
        this.audit = new KafkaAuditTrail(auditProducer, clock, WRITE_TIMEOUT);
        this.accounts = new Accounts(users, keys, new PasswordHasher(cost, random), cipher, audit, clock, random,
                new Accounts.Policy(config.signInMaxFailures(), config.signInLockout(), config.enrolmentValidity()));
    }

    static AccountsBackend start(ConsoleConfig config, KafkaContext kafka, Clock clock, String clientId)
            throws TimeoutException {
        return new AccountsBackend(config, kafka, clock, clientId, PasswordHasher.DEFAULT_COST);
    }

    /** A consumer of {@code console.users} for the caller's feed to read into {@link #users()}. */
    KafkaConsumer<String, ConsoleUserRecord> usersConsumer() {
        return kafka.consumer(Topics.CONSOLE_USERS, clientId + "-users", null);
    }

    UserStore users() {
        return users;
    }

    Accounts accounts() {
        return accounts;
    }

    /** The audit trail, for what signed-in people do. */
    AuditTrail audit() {
        return audit;
    }

    private void write(ConsoleUserRecord record) {
        try {
            usersProducer.send(new ProducerRecord<>(Topics.CONSOLE_USERS.name(), record.getUsername(), record))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving account " + record.getUsername(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot save account " + record.getUsername() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : new AutoCloseable[]{usersProducer, auditProducer, keys}) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Closing the console's account backend failed: {}", e.toString());
            }
        }
    }
}
