package dev.ngao.console.account;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One person's console account as stored: nothing in it opens the account by itself ({@link #toString()} shows
 * none of the hashes or the encrypted secret either).
 *
 * @param passwordHash          PHC argon2id string; null until enrolled
 * @param encryptedTotpSecret   the TOTP secret under the master key; null until enrolled
 * @param lastTotpStep          the step of the last code accepted; it and earlier ones are refused
 * @param recoveryCodeHashes    hashes of the unused recovery codes
 * @param enrolmentTokenHash    hash of the pending enrolment link's token; null once used
 * @param failedAttempts        failed sign-ins since the last success or lockout
 * @param lockedUntil           no sign-in is tried before this instant; null when not locked
 */
public record ConsoleUser(
        String username,
        Role role,
        String keyId,
        String passwordHash,
        byte[] encryptedTotpSecret,
        String masterKeyId,
        long lastTotpStep,
        List<String> recoveryCodeHashes,
        String enrolmentTokenHash,
        Instant enrolmentExpiresAt,
        int failedAttempts,
        Instant lockedUntil,
        Instant createdAt,
        Instant updatedAt) {

    /** Lower-case letters, digits, '.', '_' and '-': safe in logs, audit records and cookies' neighbourhood. */
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    public ConsoleUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        recoveryCodeHashes = List.copyOf(recoveryCodeHashes);
        encryptedTotpSecret = encryptedTotpSecret == null ? null : encryptedTotpSecret.clone();
    }

    /** Whether the person set a password and an authenticator. */
    public boolean enrolled() {
        return passwordHash != null && encryptedTotpSecret != null;
    }

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    @Override
    public byte[] encryptedTotpSecret() {
        return encryptedTotpSecret == null ? null : encryptedTotpSecret.clone();
    }

    /** A new account waiting for its enrolment. */
    static ConsoleUser invited(String username, Role role, String keyId, String enrolmentTokenHash,
                               Instant enrolmentExpiresAt, Instant now) {
        return new ConsoleUser(username, role, keyId, null, null, null, 0, List.of(), enrolmentTokenHash,
                enrolmentExpiresAt, 0, null, now, now);
    }

    /** The same account with its credentials dropped and a new enrolment pending (a lost authenticator). */
    ConsoleUser reinvited(String tokenHash, Instant expiresAt, Instant now) {
        return new ConsoleUser(username, role, keyId, null, null, null, lastTotpStep, List.of(), tokenHash, expiresAt,
                0, null, createdAt, now);
    }

    ConsoleUser enrolled(String newPasswordHash, byte[] newEncryptedSecret, String newMasterKeyId, long step,
                         List<String> newRecoveryCodeHashes, Instant now) {
        return new ConsoleUser(username, role, keyId, newPasswordHash, newEncryptedSecret, newMasterKeyId, step,
                newRecoveryCodeHashes, null, null, 0, null, createdAt, now);
    }

    /** After a sign-in that passed: failures forgotten, the code's step (or the recovery codes left) kept. */
    ConsoleUser signedIn(long step, List<String> remainingRecoveryCodeHashes, Instant now) {
        return new ConsoleUser(username, role, keyId, passwordHash, encryptedTotpSecret, masterKeyId,
                Math.max(step, lastTotpStep), remainingRecoveryCodeHashes, enrolmentTokenHash, enrolmentExpiresAt, 0,
                null, createdAt, now);
    }

    ConsoleUser failed(int attempts, Instant newLockedUntil, Instant now) {
        return new ConsoleUser(username, role, keyId, passwordHash, encryptedTotpSecret, masterKeyId, lastTotpStep,
                recoveryCodeHashes, enrolmentTokenHash, enrolmentExpiresAt, attempts, newLockedUntil, createdAt, now);
    }

    @Override
    public String toString() {
        return "ConsoleUser[username=" + username + ", role=" + role.text() + ", key=" + keyId + ", enrolled="
                + enrolled() + ", recoveryCodes=" + recoveryCodeHashes.size() + ", failedAttempts=" + failedAttempts
                + (lockedUntil != null ? ", lockedUntil=" + lockedUntil : "") + "]";
    }
}
