package dev.ngao.ingest.auth;

import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.platform.auth.KeyStore;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The key store on a real KRaft broker: keys survive a reopen, secrets never reach the topic in clear. */
@ExtendWith(KafkaClusterExtension.class)
class KafkaKeyStoreIT {

    private static final byte[] MASTER_KEY = TestKeys.masterKey((byte) 42);

    private static KafkaContext kafka;

    @BeforeAll
    static void connect(KafkaTestCluster cluster) {
        kafka = KafkaContext.connect(cluster.settings("keys-it-" + UUID.randomUUID()));
    }

    @AfterAll
    static void close() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldKeepKeysAcrossReopenAndNeverWriteASecretInClear() throws Exception {
        // Given a key created and rotated through one store
        String keyId = "key-" + UUID.randomUUID();
        List<String> secrets = new ArrayList<>();
        try (KafkaKeyStore store = open(MASTER_KEY, "first")) {
            KeyAdministration administration = administration(store);
            secrets.add(administration.create(spec(keyId)).secret());
            secrets.add(administration.rotate(keyId, Duration.ofHours(1), Duration.ofDays(30)).secret());
        }

        // When the store is opened again
        try (KafkaKeyStore reopened = open(MASTER_KEY, "second")) {
            // Then the key is back with both secrets, its scopes, environment and allowlist
            ApiKey key = reopened.find(keyId).orElseThrow();
            assertThat(key.merchantId()).isEqualTo("merchant-it");
            assertThat(key.environment()).isEqualTo(Environment.LIVE);
            assertThat(key.scopes()).containsExactly(Scopes.PAYMENTS_WRITE);
            assertThat(key.allowedNetworks()).extracting(Object::toString).containsExactly("192.0.2.0/24", "2001:db8::/32");
            assertThat(key.activeSecrets(Clock.systemUTC().instant()))
                    .extracting(secret -> new String(secret.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrderElementsOf(secrets);
        }

        // And no stored byte sequence carries a secret, in clear or as its Base64 part
        List<byte[]> stored = rawValues();
        assertThat(stored).isNotEmpty();
        for (String secret : secrets) {
            for (byte[] value : stored) {
                assertThat(indexOf(value, secret.getBytes(StandardCharsets.UTF_8))).as("secret in clear").isNegative();
                assertThat(indexOf(value, secret.substring(4).getBytes(StandardCharsets.UTF_8))).isNegative();
                assertThat(indexOf(value, Base64.getDecoder().decode(Base64.getEncoder().encodeToString(
                        secret.getBytes(StandardCharsets.UTF_8))))).isNegative();
            }
        }
        assertThat(stored.stream().anyMatch(value -> indexOf(value, keyId.getBytes(StandardCharsets.UTF_8)) >= 0))
                .as("the record is there, readable by key id").isTrue();
    }

    @Test
    void shouldLeaveKeyOutWhenMasterKeyDiffers() throws Exception {
        String keyId = "key-" + UUID.randomUUID();
        try (KafkaKeyStore store = open(MASTER_KEY, "writer")) {
            administration(store).create(spec(keyId));
        }

        try (KafkaKeyStore other = open(TestKeys.masterKey((byte) 43), "other-master")) {
            assertThat(other.find(keyId)).isEmpty();
        }
    }

    @Test
    void shouldSeeRevocationMadeByAnotherInstanceWhileRunning() throws Exception {
        // Given two running stores, as two ingest instances would have
        String keyId = "key-" + UUID.randomUUID();
        try (KafkaKeyStore admin = open(MASTER_KEY, "admin"); KafkaKeyStore door = open(MASTER_KEY, "door")) {
            administration(admin).create(spec(keyId));
            await().atMost(Duration.ofSeconds(30)).until(() -> door.find(keyId).isPresent());

            // When the key is revoked through the first
            administration(admin).revoke(keyId);

            // Then the second refuses it soon after, without a restart
            await().atMost(Duration.ofSeconds(30)).until(() -> door.find(keyId).orElseThrow().isRevoked());
            assertThat(door.find(keyId).orElseThrow().activeSecrets(Clock.systemUTC().instant())).isEmpty();
        }
    }

    private static KafkaKeyStore open(byte[] masterKey, String clientId) throws Exception {
        return new KafkaKeyStore(kafka, new SecretCipher(masterKey, new SecureRandom()), "it-" + clientId).start();
    }

    private static KeyAdministration administration(KeyStore store) {
        return new KeyAdministration(store, Clock.systemUTC(), new SecureRandom());
    }

    private static KeyAdministration.NewKey spec(String keyId) {
        return new KeyAdministration.NewKey(keyId, "merchant-it", Environment.LIVE, Set.of(Scopes.PAYMENTS_WRITE),
                List.of(CidrBlock.parse("192.0.2.0/24"), CidrBlock.parse("2001:db8::/32")), Set.of(), Duration.ofDays(30));
    }

    /** Every value on the key topic, as the bytes Kafka keeps. */
    private static List<byte[]> rawValues() {
        Map<String, Object> config = KafkaClients.consumer(kafka.settings(), "it-raw-reader", null);
        try (TopicReader<byte[], byte[]> reader = TopicReader.fromBeginning(
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                Topics.API_KEYS.name())) {
            return reader.readToEnd().stream().map(ConsumerRecord::value).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int start = 0; start + needle.length <= haystack.length; start++) {
            if (Arrays.equals(haystack, start, start + needle.length, needle, 0, needle.length)) {
                return start;
            }
        }
        return -1;
    }
}
