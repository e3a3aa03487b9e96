package dev.ngao.console.account;

import dev.ngao.events.AuditOutcome;
import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.KeySecret;
import dev.ngao.platform.auth.KeyStore;
import dev.ngao.platform.auth.SecretCipher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * People's console accounts: an operator invites one (a one-time enrolment link), the person enrols (chooses a
 * password, adds the TOTP secret to an authenticator from a QR code, proves it with a code, and is shown ten
 * recovery codes once), then signs in with password and code. After {@link Policy#maxFailures()} failed sign-ins
 * in a row an account is locked for {@link Policy#lockout()}; usernames without an account are counted and
 * locked the same way, so the answers do not tell which usernames exist. Every event goes to the audit trail
 * before it takes effect; an event that cannot be audited does not happen.
 *
 * <p>Blocking (argon2id takes tens of milliseconds on purpose, and every change waits for Kafka): call it from a
 * worker thread, never from an event loop.
 */
public final class Accounts {

    /** The issuer authenticator apps show beside the username. */
    public static final String ISSUER = "Ngao";
    public static final int MIN_PASSWORD_LENGTH = 12;
    public static final int MAX_PASSWORD_LENGTH = 128;
    private static final String TOTP_DOMAIN = "ngao-console-totp";
    private static final int TOKEN_BYTES = 32;
    /** Usernames without an account whose failures are remembered; beyond it the least recent are forgotten. */
    private static final int UNKNOWN_USERNAMES_KEPT = 10_000;
    /** Enrolments between their first step (QR shown) and their last; beyond it the oldest start again. */
    private static final int PENDING_ENROLMENTS_KEPT = 1_000;

    /**
     * @param maxFailures       failed sign-ins in a row that lock an account
     * @param lockout           how long a locked account refuses every sign-in
     * @param enrolmentValidity how long an enrolment link works
     */
    public record Policy(int maxFailures, Duration lockout, Duration enrolmentValidity) {
    }

    /** An enrolment link's token (shown once, to the operator who invited the person) and until when it works. */
    public record Invitation(String username, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Invitation[" + username + ", expires " + expiresAt + "]";
        }
    }

    /** The first step of an enrolment: the secret to add to an authenticator, as text and as an otpauth:// URI. */
    public record EnrolmentStart(String username, Role role, String secret, String otpauthUri) {
        @Override
        public String toString() {
            return "EnrolmentStart[" + username + "]";
        }
    }

    private record PendingSecret(byte[] secret, Instant expiresAt) {
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    /** Where a sign-in attempt came from, added to each of its audit records. */
    private record Attempt(String clientAddress) {
        Map<String, String> details(String... namesAndValues) {
            Map<String, String> details = new LinkedHashMap<>();
            for (int index = 0; index + 1 < namesAndValues.length; index += 2) {
                details.put(namesAndValues[index], namesAndValues[index + 1]);
            }
            details.put("clientAddress", clientAddress);
            return details;
        }
    }

    private final UserStore users;
    private final KeyStore keys;
    private final PasswordHasher passwords;
    private final SecretCipher cipher;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Policy policy;
    private final Map<String, Object> accountLocks = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Failures> unknownUsernames = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, PendingSecret> pendingSecrets = new LinkedHashMap<>();

    public Accounts(UserStore users, KeyStore keys, PasswordHasher passwords, SecretCipher cipher, AuditTrail audit,
                    Clock clock, SecureRandom random, Policy policy) {
        this.users = users;
        this.keys = keys;
        this.passwords = passwords;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.policy = policy;
    }

    /**
     * A new account for {@code username}, signing its calls with {@code keyId}, waiting for its enrolment.
     *
     * @param invitedBy who ran the command, for the audit trail
     * @throws IllegalArgumentException when the username is malformed or taken, or the key cannot serve the role
     */
    public Invitation invite(String username, Role role, String keyId, String invitedBy) {
        if (username == null || !ConsoleUser.USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("a username is 2 to 64 lower-case letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        if (users.find(username).isPresent()) {
            throw new IllegalArgumentException("there is already an account " + username
                    + "; ngao users reset " + username + " makes it a new enrolment link");
        }
        ApiKey key = keys.find(keyId).filter(found -> !found.isRevoked())
                .orElseThrow(() -> new IllegalArgumentException("no API key " + keyId + " in force; make one with "
                        + "ngao keys create, with the role's scopes"));
        if (role.scopesWithin(key.scopes()).isEmpty()) {
            throw new IllegalArgumentException("key " + keyId + " has none of the " + role.text() + " role's scopes ("
                    + String.join(", ", role.scopes().stream().sorted().toList()) + ")");
        }
        Instant now = now();
        String token = token();
        ConsoleUser user = ConsoleUser.invited(username, role, keyId, sha256(token),
                now.plus(policy.enrolmentValidity()), now);
        audit.record(invitedBy, "account.created", username, AuditOutcome.SUCCESS, Map.of("role", role.text(),
                "keyId", keyId, "merchantId", key.merchantId()));
        users.save(user);
        return new Invitation(username, token, user.enrolmentExpiresAt());
    }

    /**
     * A new enrolment link for an existing account: its password, authenticator and recovery codes stop working
     * (a lost phone, a forgotten password) and any lockout ends.
     *
     * @throws IllegalArgumentException when there is no such account
     */
    public Invitation reset(String username, String resetBy) {
        ConsoleUser user = users.find(username)
                .orElseThrow(() -> new IllegalArgumentException("there is no account " + username));
        Instant now = now();
        String token = token();
        ConsoleUser reset = user.reinvited(sha256(token), now.plus(policy.enrolmentValidity()), now);
        audit.record(resetBy, "account.reset", username, AuditOutcome.SUCCESS, Map.of());
        users.save(reset);
        return new Invitation(username, token, reset.enrolmentExpiresAt());
    }

    public List<ConsoleUser> list() {
        return users.all();
    }

    /**
     * The first step of an enrolment: a fresh TOTP secret for the person to add to an authenticator. Asking again
     * with the same link shows the same secret (a reloaded page), until the enrolment completes or the link expires.
     *
     * @throws EnrolmentRefused when the link is unknown, used or expired
     */
    public EnrolmentStart startEnrolment(String token) {
        ConsoleUser user = invited(token);
        byte[] secret;
        synchronized (pendingSecrets) {
            PendingSecret pending = pendingSecrets.get(user.enrolmentTokenHash());
            if (pending == null) {
                byte[] fresh = new byte[Totp.SECRET_BYTES];
                random.nextBytes(fresh);
                pending = new PendingSecret(fresh, user.enrolmentExpiresAt());
                pendingSecrets.put(user.enrolmentTokenHash(), pending);
                pendingSecrets.values().removeIf(each -> !now().isBefore(each.expiresAt()));
                while (pendingSecrets.size() > PENDING_ENROLMENTS_KEPT) {
                    pendingSecrets.remove(pendingSecrets.keySet().iterator().next());
                }
            }
            secret = pending.secret().clone();
        }
        return new EnrolmentStart(user.username(), user.role(), Base32.encode(secret),
                Totp.uri(ISSUER, user.username(), secret));
    }

    /**
     * The last step: the password the person chose and a code of the authenticator proving it holds the secret.
     *
     * @return the recovery codes, shown once and never again
     * @throws EnrolmentRefused when the link is not good, the password too short or long, or the code wrong
     */
    public List<String> completeEnrolment(String token, String password, String code) {
        ConsoleUser user = invited(token);
        synchronized (lockOf(user.username())) {
            PendingSecret pending;
            synchronized (pendingSecrets) {
                pending = pendingSecrets.get(user.enrolmentTokenHash());
            }
            if (pending == null) {
                throw new EnrolmentRefused(EnrolmentRefused.UNKNOWN_LINK,
                        "Open the enrolment link again to see the QR code first.");
            }
            if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH
                    || password.equalsIgnoreCase(user.username())) {
                throw new EnrolmentRefused(EnrolmentRefused.WEAK_PASSWORD, "A password has " + MIN_PASSWORD_LENGTH
                        + " to " + MAX_PASSWORD_LENGTH + " characters and is not the username.");
            }
            Instant now = now();
            OptionalLong step = Totp.match(pending.secret(), code, now, user.lastTotpStep());
            if (step.isEmpty()) {
                audit.record(user.username(), "enrolment.refused", user.username(), AuditOutcome.REFUSED,
                        Map.of("reason", EnrolmentRefused.WRONG_CODE));
                throw new EnrolmentRefused(EnrolmentRefused.WRONG_CODE,
                        "That code is not the authenticator's current one; check the phone's clock and try the next.");
            }
            List<String> recoveryCodes = RecoveryCodes.generate(random);
            ConsoleUser enrolled = user.enrolled(passwords.hash(password),
                    cipher.encryptFor(TOTP_DOMAIN, user.username(), pending.secret()), cipher.masterKeyId(),
                    step.getAsLong(), recoveryCodes.stream().map(each -> RecoveryCodes.hash(user.username(), each))
                            .toList(), now);
            audit.record(user.username(), "enrolment.completed", user.username(), AuditOutcome.SUCCESS,
                    Map.of("recoveryCodes", Integer.toString(recoveryCodes.size())));
            users.save(enrolled);
            synchronized (pendingSecrets) {
                pendingSecrets.remove(user.enrolmentTokenHash());
            }
            return recoveryCodes;
        }
    }

    /**
     * Checks a sign-in: the account's lockout first (a locked account's password is not even tried), then the
     * password, then the code: six digits are the authenticator's, anything else is taken as a recovery code,
     * which is used up.
     *
     * @param clientAddress where the attempt came from, for the audit trail
     */
    public SignInResult signIn(String username, String password, String code, String clientAddress) {
        Optional<ConsoleUser> found = users.find(username);
        Attempt attempt = new Attempt(clientAddress == null ? "" : clientAddress);
        if (found.isEmpty() || !found.get().enrolled()) {
            return unknownUsername(username, password, found.isPresent(), attempt);
        }
        synchronized (lockOf(username)) {
            ConsoleUser user = users.find(username).orElseThrow();
            Instant now = now();
            if (user.lockedAt(now)) {
                audit.record(username, "sign-in.locked", username, AuditOutcome.REFUSED,
                        attempt.details("lockedUntil", user.lockedUntil().toString()));
                return new SignInResult.Locked(user.lockedUntil());
            }
            if (!passwords.verify(password, user.passwordHash())) {
                return failed(user, "password", now, attempt);
            }
            byte[] secret = cipher.decryptFor(TOTP_DOMAIN, username, user.encryptedTotpSecret());
            OptionalLong step = Totp.match(secret, code, now, user.lastTotpStep());
            List<String> recoveryCodes = user.recoveryCodeHashes();
            boolean recoveryCodeUsed = false;
            if (step.isEmpty()) {
                Optional<String> recovery = code == null || Totp.looksLikeCode(code) ? Optional.empty()
                        : RecoveryCodes.match(username, code, recoveryCodes);
                if (recovery.isEmpty()) {
                    return failed(user, "code", now, attempt);
                }
                recoveryCodes = new ArrayList<>(recoveryCodes);
                recoveryCodes.remove(recovery.get());
                recoveryCodeUsed = true;
            }
            return passed(user, step.orElse(user.lastTotpStep()), recoveryCodes, recoveryCodeUsed, now, attempt);
        }
    }

    /** Credentials were right: the account's key decides whether there is anything to sign in to. */
    private SignInResult passed(ConsoleUser user, long step, List<String> recoveryCodes, boolean recoveryCodeUsed,
                                Instant now, Attempt attempt) {
        String username = user.username();
        if (recoveryCodeUsed) {
            audit.record(username, "recovery-code.used", username, AuditOutcome.SUCCESS,
                    attempt.details("recoveryCodesLeft", Integer.toString(recoveryCodes.size())));
        }
        // The code is spent whatever follows: it must not open a session later, once the key is fixed.
        users.save(user.signedIn(step, recoveryCodes, now));
        Optional<ApiKey> key = keys.find(user.keyId()).filter(found -> !found.isRevoked());
        Optional<KeySecret> secret = key.flatMap(found -> found.activeSecrets(now).stream()
                .max(Comparator.comparing(KeySecret::createdAt)));
        if (secret.isEmpty()) {
            audit.record(username, "sign-in.failed", username, AuditOutcome.REFUSED,
                    attempt.details("reason", "key-unavailable", "keyId", user.keyId()));
            return new SignInResult.KeyUnavailable();
        }
        Set<String> scopes = user.role().scopesWithin(key.get().scopes());
        if (scopes.isEmpty()) {
            audit.record(username, "sign-in.failed", username, AuditOutcome.REFUSED,
                    attempt.details("reason", "no-scope", "keyId", user.keyId()));
            return new SignInResult.NoScope();
        }
        audit.record(username, "sign-in.succeeded", username, AuditOutcome.SUCCESS, attempt.details("role",
                user.role().text(), "keyId", user.keyId(), "merchantId", key.get().merchantId(),
                "factor", recoveryCodeUsed ? "recovery-code" : "totp"));
        return new SignInResult.SignedIn(user, key.get(), secret.get(), scopes, recoveryCodeUsed, recoveryCodes.size());
    }

    private SignInResult failed(ConsoleUser user, String reason, Instant now, Attempt attempt) {
        int attempts = user.failedAttempts() + 1;
        boolean locks = attempts >= policy.maxFailures();
        Instant lockedUntil = locks ? now.plus(policy.lockout()) : null;
        audit.record(user.username(), "sign-in.failed", user.username(), AuditOutcome.REFUSED,
                attempt.details("reason", reason, "failedAttempts", Integer.toString(attempts)));
        if (locks) {
            audit.record(user.username(), "account.locked", user.username(), AuditOutcome.REFUSED,
                    attempt.details("failedAttempts", Integer.toString(attempts), "lockedUntil", lockedUntil.toString()));
        }
        users.save(user.failed(locks ? 0 : attempts, lockedUntil, now));
        return locks ? new SignInResult.Locked(lockedUntil) : new SignInResult.Refused();
    }

    /**
     * A username without an enrolled account: the same work (a password hash) and the same lockout as an account,
     * so neither the answer nor its time tells whether the account exists. Its name is never written to the audit
     * trail, where a password typed into the username field would otherwise end up.
     */
    private SignInResult unknownUsername(String username, String password, boolean invitedNotEnrolled,
                                         Attempt attempt) {
        passwords.verifyDecoy(password == null ? "" : password);
        Instant now = now();
        String subject = invitedNotEnrolled ? username : AuditTrail.UNKNOWN_ACTOR;
        String key = username == null ? "" : username;
        Failures failures;
        synchronized (unknownUsernames) {
            failures = unknownUsernames.getOrDefault(key, new Failures(0, null));
            if (failures.lockedUntil() != null && now.isBefore(failures.lockedUntil())) {
                audit.record(subject, "sign-in.locked", subject, AuditOutcome.REFUSED, attempt.details());
                return new SignInResult.Locked(failures.lockedUntil());
            }
            int attempts = failures.count() + 1;
            failures = attempts >= policy.maxFailures() ? new Failures(0, now.plus(policy.lockout()))
                    : new Failures(attempts, null);
            unknownUsernames.put(key, failures);
            while (unknownUsernames.size() > UNKNOWN_USERNAMES_KEPT) {
                unknownUsernames.remove(unknownUsernames.keySet().iterator().next());
            }
        }
        audit.record(subject, "sign-in.failed", subject, AuditOutcome.REFUSED,
                attempt.details("reason", invitedNotEnrolled ? "not-enrolled" : "unknown-user"));
        return failures.lockedUntil() != null ? new SignInResult.Locked(failures.lockedUntil())
                : new SignInResult.Refused();
    }

    /** The account a live enrolment link names. */
    private ConsoleUser invited(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            throw unknownLink();
        }
        byte[] presented = sha256(token).getBytes(StandardCharsets.US_ASCII);
        Instant now = now();
        return users.all().stream()
                .filter(user -> user.enrolmentTokenHash() != null && user.enrolmentExpiresAt() != null)
                .filter(user -> MessageDigest.isEqual(presented, user.enrolmentTokenHash().getBytes(StandardCharsets.US_ASCII)))
                .filter(user -> now.isBefore(user.enrolmentExpiresAt()))
                .findFirst().orElseThrow(Accounts::unknownLink);
    }

    private static EnrolmentRefused unknownLink() {
        return new EnrolmentRefused(EnrolmentRefused.UNKNOWN_LINK,
                "This enrolment link is unknown, used or expired; ask an operator for a new one.");
    }

    private Object lockOf(String username) {
        return accountLocks.computeIfAbsent(username, ignored -> new Object());
    }

    /** Milliseconds, as the topic keeps them, so an account read back equals the one written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
