package dev.ngao.console.account;

import dev.ngao.events.ConsoleRole;
import dev.ngao.events.ConsoleUserRecord;

import java.nio.ByteBuffer;

/** Console accounts to the records of {@code console.users} and back. */
public final class UserRecords {

    private UserRecords() {
    }

    public static ConsoleUserRecord toRecord(ConsoleUser user) {
        byte[] secret = user.encryptedTotpSecret();
        return ConsoleUserRecord.newBuilder()
                .setUsername(user.username())
                .setRole(ConsoleRole.valueOf(user.role().name()))
                .setKeyId(user.keyId())
                .setPasswordHash(user.passwordHash())
                .setTotpSecret(secret == null ? null : ByteBuffer.wrap(secret))
                .setMasterKeyId(user.masterKeyId())
                .setLastTotpStep(user.lastTotpStep())
                .setRecoveryCodeHashes(user.recoveryCodeHashes())
                .setEnrolmentTokenHash(user.enrolmentTokenHash())
                .setEnrolmentExpiresAt(user.enrolmentExpiresAt())
                .setFailedAttempts(user.failedAttempts())
                .setLockedUntil(user.lockedUntil())
                .setCreatedAt(user.createdAt())
                .setUpdatedAt(user.updatedAt())
                .build();
    }

    /** @throws IllegalArgumentException for a role this version does not know (a newer writer's) */
    public static ConsoleUser fromRecord(ConsoleUserRecord record) {
        if (record.getRole() == ConsoleRole.UNKNOWN) {
            throw new IllegalArgumentException("account " + record.getUsername() + " has a role this console does not know");
        }
        byte[] secret = null;
        if (record.getTotpSecret() != null) {
            ByteBuffer buffer = record.getTotpSecret().duplicate();
            secret = new byte[buffer.remaining()];
            buffer.get(secret);
        }
        return new ConsoleUser(record.getUsername(), Role.valueOf(record.getRole().name()), record.getKeyId(),
                record.getPasswordHash(), secret, record.getMasterKeyId(), record.getLastTotpStep(),
                record.getRecoveryCodeHashes().stream().map(CharSequence::toString).toList(),
                record.getEnrolmentTokenHash(), record.getEnrolmentExpiresAt(), record.getFailedAttempts(),
                record.getLockedUntil(), record.getCreatedAt(), record.getUpdatedAt());
    }
}
