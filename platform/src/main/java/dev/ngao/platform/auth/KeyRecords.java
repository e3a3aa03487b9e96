package dev.ngao.platform.auth;

import dev.ngao.events.ApiKeyEnvironment;
import dev.ngao.events.ApiKeyRecord;
import dev.ngao.events.ApiKeySecret;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Turns keys into the records of the key topic and back, encrypting and decrypting the secrets on the way. */
final class KeyRecords {

    private KeyRecords() {
    }

    static ApiKeyRecord toRecord(ApiKey key, SecretCipher cipher) {
        List<ApiKeySecret> secrets = new ArrayList<>();
        for (KeySecret secret : key.secrets()) {
            byte[] encrypted = cipher.encrypt(secret.value(), key.keyId(), secret.secretId());
            secrets.add(new ApiKeySecret(secret.secretId(), cipher.masterKeyId(), ByteBuffer.wrap(encrypted),
                    secret.createdAt(), secret.expiresAt()));
        }
        return ApiKeyRecord.newBuilder()
                .setKeyId(key.keyId())
                .setMerchantId(key.merchantId())
                .setEnvironment(ApiKeyEnvironment.valueOf(key.environment().name()))
                .setScopes(key.scopes().stream().sorted().toList())
                .setAllowedNetworks(key.allowedNetworks().stream().map(CidrBlock::toString).toList())
                .setClientCertificates(key.clientCertificates().stream().sorted().toList())
                .setSecrets(secrets)
                .setCreatedAt(key.createdAt())
                .setUpdatedAt(key.updatedAt())
                .setRevokedAt(key.revokedAt())
                .build();
    }

    /**
     * @throws IllegalArgumentException when a secret was encrypted under another master key or altered;
     *                                  the message names the key and secret ids only
     */
    static ApiKey fromRecord(ApiKeyRecord record, SecretCipher cipher) {
        List<KeySecret> secrets = new ArrayList<>();
        for (ApiKeySecret stored : record.getSecrets()) {
            if (!stored.getMasterKeyId().equals(cipher.masterKeyId())) {
                throw new IllegalArgumentException("secret " + stored.getSecretId() + " of key " + record.getKeyId()
                        + " was encrypted under master key " + stored.getMasterKeyId() + ", not the configured "
                        + cipher.masterKeyId());
            }
            ByteBuffer buffer = stored.getEncryptedSecret().duplicate();
            byte[] encrypted = new byte[buffer.remaining()];
            buffer.get(encrypted);
            secrets.add(new KeySecret(stored.getSecretId(),
                    cipher.decrypt(encrypted, record.getKeyId(), stored.getSecretId()),
                    stored.getCreatedAt(), stored.getExpiresAt()));
        }
        return new ApiKey(record.getKeyId(), record.getMerchantId(),
                Environment.valueOf(record.getEnvironment().name()),
                new HashSet<>(record.getScopes()),
                record.getAllowedNetworks().stream().map(CidrBlock::parse).toList(),
                new HashSet<>(record.getClientCertificates()),
                secrets, record.getCreatedAt(), record.getUpdatedAt(), record.getRevokedAt());
    }
}
