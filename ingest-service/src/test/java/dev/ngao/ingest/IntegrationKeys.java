package dev.ngao.ingest;

import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.ingest.auth.KeyAdministration;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.kafka.KafkaContext;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes API keys on the Kafka key store before the services of an integration test start, as an
 * administrator would have with {@code ngao keys create}: sandbox keys with the payment scopes, usable from
 * loopback, each with the secret the test signs with.
 */
final class IntegrationKeys {

    private IntegrationKeys() {
    }

    /** @param secretsByKey key id to {merchant id, secret} */
    static void create(KafkaContext kafka, IngestConfig config, Map<String, String[]> secretsByKey) throws Exception {
        create(kafka, config, secretsByKey, Set.of(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ));
    }

    /** As above, every key with {@code scopes}. */
    static void create(KafkaContext kafka, IngestConfig config, Map<String, String[]> secretsByKey,
                       Set<String> scopes) throws Exception {
        try (KafkaKeyStore store = new KafkaKeyStore(kafka, new SecretCipher(config.auth().masterKey(),
                new SecureRandom()), "it-admin").start()) {
            KeyAdministration administration = new KeyAdministration(store, Clock.systemUTC(), new SecureRandom());
            for (Map.Entry<String, String[]> key : secretsByKey.entrySet()) {
                administration.create(new KeyAdministration.NewKey(key.getKey(), key.getValue()[0], Environment.SANDBOX,
                        scopes,
                        List.of(CidrBlock.parse("127.0.0.1/32"), CidrBlock.parse("::1/128")), Set.of(),
                        Duration.ofDays(1)), key.getValue()[1]);
            }
        }
    }
}
