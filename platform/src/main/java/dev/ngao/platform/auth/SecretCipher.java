package dev.ngao.platform.auth;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Encrypts API key secrets at rest with AES-256-GCM under the deployment's master key
 * ({@code ingest.keys.master.key}). Secrets must be recoverable, not hashed: the verifier recomputes each
 * request's HMAC with the secret itself. Each secret gets a fresh 96-bit nonce; its key id and secret id
 * are the associated data, so a ciphertext moved to another key or slot fails authentication instead of
 * decrypting. The master key never leaves this object and is never printed.
 */
public final class SecretCipher {

    public static final int MASTER_KEY_BYTES = 32;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** The associated data's first part for API key secrets, as it has always been. */
    private static final String API_KEY_DOMAIN = "ngao-api-key";

    private final SecretKeySpec masterKey;
    private final String masterKeyId;
    private final SecureRandom random;

    public SecretCipher(byte[] masterKey, SecureRandom random) {
        if (masterKey.length != MASTER_KEY_BYTES) {
            throw new IllegalArgumentException("the master key must have " + MASTER_KEY_BYTES + " bytes");
        }
        this.masterKey = new SecretKeySpec(masterKey.clone(), "AES");
        this.masterKeyId = fingerprint(masterKey);
        this.random = random;
    }

    /**
     * Reads a master key given as Base64 (standard or URL-safe alphabet, padding optional) of 32 bytes,
     * e.g. the output of {@code openssl rand -base64 32}.
     *
     * @throws IllegalArgumentException with a message that never quotes the text
     */
    public static byte[] decodeMasterKey(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.trim().replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be Base64 of " + MASTER_KEY_BYTES + " random bytes");
        }
        if (bytes.length != MASTER_KEY_BYTES) {
            throw new IllegalArgumentException("must be Base64 of " + MASTER_KEY_BYTES + " random bytes, not "
                    + bytes.length);
        }
        return bytes;
    }

    /** A short public name of the master key (first 8 bytes of its SHA-256), stored beside each ciphertext. */
    public String masterKeyId() {
        return masterKeyId;
    }

    /** Nonce, then ciphertext and tag. */
    public byte[] encrypt(byte[] secret, String keyId, String secretId) {
        return encrypt(secret, associatedData(API_KEY_DOMAIN, keyId, secretId));
    }

    /**
     * Encrypts a secret of another kind than an API key's (a console user's TOTP secret): {@code domain} names
     * the kind and {@code owner} whose it is, both bound as associated data, so a ciphertext moved to another
     * owner or kind fails authentication instead of decrypting.
     */
    public byte[] encryptFor(String domain, String owner, byte[] secret) {
        return encrypt(secret, associatedData(domain, owner, ""));
    }

    /**
     * @throws IllegalArgumentException when the ciphertext was not made by this master key for this domain and
     *                                  owner, or was altered
     */
    public byte[] decryptFor(String domain, String owner, byte[] encrypted) {
        return decrypt(encrypted, associatedData(domain, owner, ""), "the " + domain + " secret of " + owner);
    }

    private byte[] encrypt(byte[] secret, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(secret);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JVM", e);
        }
    }

    /**
     * @throws IllegalArgumentException when the ciphertext was not made by this master key for this key
     *                                  and secret id, or was altered
     */
    public byte[] decrypt(byte[] encrypted, String keyId, String secretId) {
        return decrypt(encrypted, associatedData(API_KEY_DOMAIN, keyId, secretId), "secret " + secretId + " of key " + keyId);
    }

    private byte[] decrypt(byte[] encrypted, byte[] associatedData, String what) {
        if (encrypted.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("encrypted " + what + " is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, masterKey,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(encrypted, 0, NONCE_BYTES)));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(encrypted, NONCE_BYTES, encrypted.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException(what + " does not decrypt under this master key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JVM", e);
        }
    }

    private static byte[] associatedData(String domain, String owner, String slot) {
        return (domain + "\0" + owner + "\0" + slot).getBytes(StandardCharsets.UTF_8);
    }

    private static String fingerprint(byte[] masterKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(masterKey);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "SecretCipher[masterKeyId=" + masterKeyId + "]";
    }
}
