package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * A payment request event as its accepting claim carries it on {@code ingest.idempotency}: serialized as on
 * {@code payments.requests}, then encrypted with AES-256-GCM, because the event holds the wallet's MSISDN in
 * clear (the provider needs it) and the idempotency topic must not become a second place where it is
 * readable. The key is derived from the deployment's master key ({@code ingest.keys.master.key}, which every
 * instance holds) for this one use; each sealing takes a fresh 96-bit nonce, and the transaction id is the
 * associated data, so a sealed request moved to another claim fails to open.
 */
public final class SealedPaymentRequests {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final byte[] KEY_LABEL = "ngao ingest sealed payment requests v1".getBytes(StandardCharsets.UTF_8);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final Serializer<PaymentRequest> serializer;
    private final Deserializer<PaymentRequest> deserializer;
    private final SecureRandom random;

    /**
     * @param serializer   and {@code deserializer}: the value serde of {@code payments.requests} in service,
     *                     so a request sealed by one version opens in the next as the topic's records do
     */
    public SealedPaymentRequests(byte[] masterKey, Serializer<PaymentRequest> serializer,
                                 Deserializer<PaymentRequest> deserializer, SecureRandom random) {
        this.key = new SecretKeySpec(derive(masterKey), "AES");
        this.serializer = serializer;
        this.deserializer = deserializer;
        this.random = random;
    }

    /** Plain Avro binary instead of the registry's wire format: for tests and tools without a registry. */
    public static SealedPaymentRequests withAvroBinary(byte[] masterKey) {
        return new SealedPaymentRequests(masterKey, (topic, request) -> encode(request),
                (topic, bytes) -> decode(bytes), new SecureRandom());
    }

    /** Nonce, then ciphertext and tag. */
    public byte[] seal(PaymentRequest request) {
        byte[] plain = serializer.serialize(Topics.PAYMENT_REQUESTS.name(), request);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(request.getTransactionId().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JVM", e);
        }
    }

    /**
     * The request sealed for {@code transactionId}.
     *
     * @throws IllegalArgumentException when it does not open: another key, another transaction, tampered
     */
    public PaymentRequest open(String transactionId, byte[] sealed) {
        if (sealed.length <= NONCE_BYTES) {
            throw new IllegalArgumentException("sealed request too short");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(transactionId.getBytes(StandardCharsets.UTF_8));
            plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("sealed request does not open under this key and transaction");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JVM", e);
        }
        PaymentRequest request = deserializer.deserialize(Topics.PAYMENT_REQUESTS.name(), plain);
        if (!request.getTransactionId().equals(transactionId)) {
            throw new IllegalArgumentException("sealed request is of another transaction");
        }
        return request;
    }

    /** HMAC-SHA256 of a fixed label under the master key: a key for this use only. */
    private static byte[] derive(byte[] masterKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            return mac.doFinal(KEY_LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    private static byte[] encode(PaymentRequest request) {
        try {
            ByteBuffer buffer = PaymentRequest.getEncoder().encode(request);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PaymentRequest decode(byte[] bytes) {
        try {
            return PaymentRequest.getDecoder().decode(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
