package dev.ngao.schemas.registry;

import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.serde.AvroSerde;
import dev.ngao.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestSchemaRegistryClientTest {

    private FakeConfluentRegistry fake;
    private RestSchemaRegistryClient client;
    private String subject;
    private String recordName;

    @BeforeEach
    void startFakeRegistry() throws IOException {
        fake = FakeConfluentRegistry.start();
        client = clientFor(fake.url());
        recordName = "Probe" + UUID.randomUUID().toString().replace("-", "");
        subject = "test." + recordName + "-value";
    }

    @AfterEach
    void stopFakeRegistry() {
        client.close();
        fake.close();
    }

    @Test
    void shouldReturnSameIdWhenSameSchemaIsRegisteredTwice() {
        // Given a schema registered once
        Schema schema = SampleEvents.probeVersion1(recordName);
        int firstId = client.register(subject, schema);

        // When another client, with nothing cached, registers it again
        int secondId;
        try (RestSchemaRegistryClient otherClient = clientFor(fake.url())) {
            secondId = otherClient.register(subject, schema);
        }

        // Then the id is the same and the subject still has one version
        assertThat(firstId).isPositive();
        assertThat(secondId).isEqualTo(firstId);
        assertThat(client.latest(subject)).hasValueSatisfying(latest -> {
            assertThat(latest.version()).isEqualTo(1);
            assertThat(latest.id()).isEqualTo(firstId);
        });
    }

    @Test
    void shouldNotCallRegistryWhenSameSchemaIsRegisteredAgainByOneClient() {
        // Given a schema registered by this client
        Schema schema = SampleEvents.probeVersion1(recordName);
        int id = client.register(subject, schema);
        int requestsBefore = fake.requests().size();

        // When it registers the same schema again
        int again = client.register(subject, schema);

        // Then the answer came from its cache
        assertThat(again).isEqualTo(id);
        assertThat(fake.requests()).hasSize(requestsBefore);
    }

    @Test
    void shouldFindIdWhenSchemaIsRegisteredUnderSubject() {
        // Given a registered schema
        Schema schema = SampleEvents.probeVersion1(recordName);
        int id = client.register(subject, schema);

        // When a fresh client looks it up
        int found;
        try (RestSchemaRegistryClient otherClient = clientFor(fake.url())) {
            found = otherClient.idOf(subject, schema);
        }

        // Then it gets the registered id
        assertThat(found).isEqualTo(id);
    }

    @Test
    void shouldThrowSchemaNotFoundWhenIdOfUnknownSchemaIsAsked() {
        // Given a subject holding version 1 only
        client.register(subject, SampleEvents.probeVersion1(recordName));

        // When the id of a schema never registered there is asked
        // Then the registry's 40403 reaches the caller
        assertThatThrownBy(() -> client.idOf(subject, SampleEvents.probeCompatibleVersion2(recordName)))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(subject)
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
    }

    @Test
    void shouldThrowSubjectNotFoundWhenIdOfIsAskedOfUnknownSubject() {
        // Given a subject nobody registered anything under
        // When an id is asked of it
        // Then the registry's 40401 reaches the caller
        assertThatThrownBy(() -> client.idOf(subject, SampleEvents.probeVersion1(recordName)))
                .isInstanceOf(SchemaRegistryException.class)
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
    }

    @Test
    void shouldReturnSchemaWhenFetchedById() {
        // Given a schema registered by one client
        Schema schema = SampleEvents.probeVersion1(recordName);
        int id = client.register(subject, schema);

        try (RestSchemaRegistryClient reader = clientFor(fake.url())) {
            // When another client fetches it by id twice
            Schema first = reader.schemaById(id);
            int requestsAfterFirst = fake.requests().size();
            Schema second = reader.schemaById(id);

            // Then it gets the schema, and the second time from its cache
            assertThat(first).isEqualTo(schema);
            assertThat(second).isEqualTo(schema);
            assertThat(fake.requests()).hasSize(requestsAfterFirst);
        }
    }

    @Test
    void shouldThrowSchemaNotFoundWhenIdIsUnknown() {
        // Given an empty registry
        // When an unknown id is fetched
        // Then the caller learns it is unknown
        assertThatThrownBy(() -> client.schemaById(987_654))
                .isInstanceOf(SchemaRegistryException.class)
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
    }

    @Test
    void shouldReturnLatestVersionWhenSubjectHasTwo() {
        // Given two compatible versions of a subject
        client.register(subject, SampleEvents.probeVersion1(recordName));
        Schema version2 = SampleEvents.probeCompatibleVersion2(recordName);
        int id2 = client.register(subject, version2);

        // When the latest version is asked
        // Then it is version 2 with its id and schema
        assertThat(client.latest(subject)).hasValue(new RegisteredSchema(subject, 2, id2, version2));
    }

    @Test
    void shouldReturnEmptyWhenLatestIsAskedOfUnknownSubject() {
        // Given a subject nobody registered anything under
        // When its latest version is asked
        // Then there is none
        assertThat(client.latest(subject)).isEmpty();
    }

    @Test
    void shouldRefuseRegistrationWhenSchemaIsIncompatible() {
        // Given version 1 of a subject
        client.register(subject, SampleEvents.probeVersion1(recordName));

        // When a version adding a field without default is registered
        // Then the registry's 409 reaches the caller and no version is added
        assertThatThrownBy(() -> client.register(subject, SampleEvents.probeIncompatibleVersion2(recordName)))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 409")
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.INCOMPATIBLE);
        assertThat(client.latest(subject)).hasValueSatisfying(latest -> assertThat(latest.version()).isEqualTo(1));
    }

    @Test
    void shouldAnswerCompatibilityWhenAskedAboutNextVersion() {
        // Given version 1 of a subject
        client.register(subject, SampleEvents.probeVersion1(recordName));

        // When compatibility of two candidate versions is asked
        boolean compatible = client.isCompatible(subject, SampleEvents.probeCompatibleVersion2(recordName));
        boolean incompatible = client.isCompatible(subject, SampleEvents.probeIncompatibleVersion2(recordName));

        // Then only the one with a default on its new field may follow
        assertThat(compatible).isTrue();
        assertThat(incompatible).isFalse();
    }

    @Test
    void shouldAnswerCompatibleWhenSubjectIsUnknown() {
        // Given a subject nobody registered anything under
        // When compatibility is asked
        // Then anything may become its first version
        assertThat(client.isCompatible(subject, SampleEvents.probeIncompatibleVersion2(recordName))).isTrue();
    }

    @Test
    void shouldEncodeSubjectWhenItHasReservedCharacters() {
        // Given a subject with a space, a slash, a plus and a question mark
        String oddSubject = "team a/orders+refunds?-value";

        // When a schema is registered under it
        int id = client.register(oddSubject, SampleEvents.probeVersion1(recordName));

        // Then the registry saw one path segment, and the subject reads back whole
        assertThat(fake.requests()).contains("POST /subjects/team%20a%2Forders%2Brefunds%3F-value/versions");
        assertThat(client.latest(oddSubject)).hasValueSatisfying(latest -> {
            assertThat(latest.subject()).isEqualTo(oddSubject);
            assertThat(latest.id()).isEqualTo(id);
        });
    }

    @Test
    void shouldSendBasicAuthorizationWhenUserInfoIsConfigured() {
        // Given a registry that demands credentials, and a client configured with them
        String expectedHeader = "Basic " + Base64.getEncoder()
                .encodeToString("risk-analyst:s3cret-pass".getBytes(StandardCharsets.UTF_8));
        fake.requireAuthorization(expectedHeader);
        Map<String, Object> settings = settings(fake.url());
        settings.put(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        settings.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "risk-analyst:s3cret-pass");

        // When it registers a schema
        int id;
        try (RestSchemaRegistryClient authenticated = new RestSchemaRegistryClient(new SchemaRegistryConfig(settings))) {
            id = authenticated.register(subject, SampleEvents.probeVersion1(recordName));
        }

        // Then the registry received the basic credentials and accepted the call
        assertThat(id).isPositive();
        assertThat(fake.authorizations()).containsOnly(expectedHeader);
    }

    @Test
    void shouldKeepPasswordOutOfErrorWhenCredentialsAreRefused() {
        // Given a registry that refuses the configured credentials
        fake.requireAuthorization("Basic something-else");
        Map<String, Object> settings = settings(fake.url());
        settings.put(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        settings.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "risk-analyst:s3cret-pass");

        try (RestSchemaRegistryClient refused = new RestSchemaRegistryClient(new SchemaRegistryConfig(settings))) {
            // When it registers a schema
            // Then it learns of the 401, and neither the password nor the header shows in the message
            assertThatThrownBy(() -> refused.register(subject, SampleEvents.probeVersion1(recordName)))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageNotContaining("s3cret-pass")
                    .hasMessageNotContaining("Basic ");
        }
    }

    @Test
    void shouldRefuseConfigurationWhenUrlCarriesCredentials() {
        // Given a URL with the password in it
        Map<String, Object> settings = settings("http://risk-analyst:s3cret-pass@127.0.0.1:8081");

        // When a client is built from it
        // Then the configuration is refused without repeating the password
        assertThatThrownBy(() -> new RestSchemaRegistryClient(new SchemaRegistryConfig(settings)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SchemaRegistryConfig.BASIC_AUTH_USER_INFO)
                .hasMessageNotContaining("s3cret-pass");
    }

    @Test
    void shouldRefuseConfigurationWhenUserInfoIsMissingForUserInfoSource() {
        // Given basic authentication asked for without credentials
        Map<String, Object> settings = settings(fake.url());
        settings.put(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");

        // When a client is built
        // Then the missing key is named
        assertThatThrownBy(() -> new RestSchemaRegistryClient(new SchemaRegistryConfig(settings)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SchemaRegistryConfig.BASIC_AUTH_USER_INFO);
    }

    @Test
    void shouldFailOverToSecondUrlWhenFirstRefusesConnection() throws IOException {
        // Given a first URL where nothing listens, and the registry second
        String deadUrl = "http://127.0.0.1:" + unusedPort();

        try (RestSchemaRegistryClient failingOver = clientFor(deadUrl + "," + fake.url())) {
            // When a schema is registered and then read back
            int id = failingOver.register(subject, SampleEvents.probeVersion1(recordName));
            Schema readBack = failingOver.latest(subject).orElseThrow().schema();

            // Then both calls were answered by the second URL
            assertThat(id).isPositive();
            assertThat(readBack).isEqualTo(SampleEvents.probeVersion1(recordName));
            assertThat(fake.requests()).hasSize(2);
        }
    }

    @Test
    void shouldFailClearlyWhenNoUrlIsReachable() throws IOException {
        // Given only URLs where nothing listens
        String deadUrls = "http://127.0.0.1:" + unusedPort() + ",http://127.0.0.1:" + unusedPort();

        try (RestSchemaRegistryClient unreachable = clientFor(deadUrls)) {
            // When a schema is registered
            // Then the caller learns that no registry could be reached
            assertThatThrownBy(() -> unreachable.register(subject, SampleEvents.probeVersion1(recordName)))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("none of the 2 schema registry URL(s) could be reached")
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void shouldRoundTripEventWhenSerdeUsesRestRegistry() {
        // Given a serde registering through the REST client, and a reader with its own client
        AvroSerde<RiskDecision> writer = AvroSerde.forValues(client, RiskDecision.class, true);
        RiskDecision decision = SampleEvents.riskDecision();
        String topic = Topics.RISK_DECISIONS.name();

        try (RestSchemaRegistryClient readerClient = clientFor(fake.url())) {
            AvroSerde<RiskDecision> reader = AvroSerde.forValues(readerClient, RiskDecision.class, false);

            // When the decision is serialised and deserialised
            byte[] bytes = writer.serializer().serialize(topic, decision);
            RiskDecision decoded = reader.deserializer().deserialize(topic, bytes);

            // Then the bytes are Confluent's wire format with the registered id, and the event survives
            int registeredId = readerClient.idOf(Topics.RISK_DECISIONS.valueSubject(), RiskDecision.getClassSchema());
            assertThat(bytes[0]).isEqualTo(AvroSerde.MAGIC_BYTE);
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
            assertThat(decoded).isEqualTo(decision);
        }
    }

    private static RestSchemaRegistryClient clientFor(String urls) {
        return new RestSchemaRegistryClient(new SchemaRegistryConfig(settings(urls)));
    }

    private static Map<String, Object> settings(String urls) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(SchemaRegistryConfig.SCHEMA_REGISTRY_URL, urls);
        settings.put(SchemaRegistryConfig.REQUEST_TIMEOUT_MS, 5_000);
        return settings;
    }

    /** A port that was free a moment ago; connecting to it is refused at once. */
    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
