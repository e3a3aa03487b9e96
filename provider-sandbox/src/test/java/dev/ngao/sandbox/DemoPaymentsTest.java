package dev.ngao.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DemoPaymentsTest {

    private static final BigDecimal PER_TRANSACTION_LIMIT_KES = new BigDecimal("150000.00");

    @Test
    void shouldMixOrdinaryAndOverLimitPaymentsOfValidShape() throws Exception {
        DemoPayments payments = new DemoPayments(new SplittableRandom(42));
        ObjectMapper json = new ObjectMapper();
        int overLimit = 0;
        Set<String> references = new HashSet<>();

        for (int i = 0; i < 2_000; i++) {
            JsonNode body = json.readTree(payments.next());
            BigDecimal amount = new BigDecimal(body.path("amount").asText());
            assertThat(amount.scale()).isEqualTo(2);
            assertThat(amount.signum()).isPositive();
            assertThat(body.path("msisdn").asText()).matches("\\+\\d{8,15}");
            assertThat(body.path("currency").asText()).isEqualTo("KES");
            assertThat(references.add(body.path("merchantReference").asText())).isTrue();
            if (amount.compareTo(PER_TRANSACTION_LIMIT_KES) > 0) {
                overLimit++;
            }
        }

        // About 8 % above the per-transaction limit: enough declines to see, most payments approved.
        assertThat(overLimit).isBetween(100, 240);
    }

    @Test
    void shouldSendTheSameBodiesForTheSameSeedAndOthersForAnother() {
        DemoPayments first = new DemoPayments(new SplittableRandom(7));
        DemoPayments again = new DemoPayments(new SplittableRandom(7));
        DemoPayments other = new DemoPayments(new SplittableRandom(8));
        List<String> firstBodies = new ArrayList<>();
        List<String> againBodies = new ArrayList<>();
        List<String> otherBodies = new ArrayList<>();

        for (int i = 0; i < 500; i++) {
            firstBodies.add(first.next());
            againBodies.add(again.next());
            otherBodies.add(other.next());
        }

        assertThat(againBodies).isEqualTo(firstBodies);
        assertThat(otherBodies).isNotEqualTo(firstBodies);
    }

    @Test
    void shouldSendPayerSignalsOfValidShapeFromEachCustomersOwnPools() throws Exception {
        // Given many demo payments
        Map<String, Payers> byWallet = new HashMap<>();
        int withoutPayer = 0;
        int geoMismatch = 0;
        int withCountry = 0;
        for (JsonNode body : bodies(new DemoPayments(new SplittableRandom(42)), 20_000)) {
            JsonNode payer = body.path("payer");
            if (payer.isMissingNode()) {
                withoutPayer++;
                continue;
            }
            // Then every signal has the shape ingest-service accepts
            assertThat(payer.path("ip").asText()).satisfies(DemoPaymentsTest::assertIpLiteral);
            payer.fieldNames().forEachRemaining(name -> assertThat(name).isIn("ip", "ipCountry",
                    "deviceFingerprint", "email", "documentType", "documentNumber", "timeZone"));
            if (payer.has("deviceFingerprint")) {
                assertThat(payer.path("deviceFingerprint").asText()).matches("[A-Za-z0-9._:-]{8,128}");
            }
            if (payer.has("email")) {
                assertThat(payer.path("email").asText()).matches("[a-z0-9.]+@[a-z0-9-]+(\\.[a-z0-9-]+)+");
            }
            if (payer.has("documentType")) {
                assertThat(payer.path("documentType").asText()).isEqualTo("PASSPORT");
                assertThat(payer.path("documentNumber").asText()).matches("[A-Z]{2}[0-9]{7}");
            }
            if (payer.has("timeZone")) {
                assertThat(ZoneId.getAvailableZoneIds()).contains(payer.path("timeZone").asText());
            }
            if (payer.has("ipCountry")) {
                withCountry++;
                assertThat(Locale.getISOCountries()).contains(payer.path("ipCountry").asText());
                if (!payer.path("ipCountry").asText().equals(body.path("country").asText())) {
                    geoMismatch++;
                }
            }
            byWallet.computeIfAbsent(body.path("msisdn").asText(), wallet -> new Payers()).add(payer);
        }

        // And a wallet's customer keeps to a few devices, emails and addresses, and one document
        assertThat(byWallet.values()).allSatisfy(payers -> {
            assertThat(payers.devices).hasSizeLessThanOrEqualTo(3);
            assertThat(payers.emails).hasSizeLessThanOrEqualTo(2);
            assertThat(payers.ips).hasSizeLessThanOrEqualTo(4);
            assertThat(payers.documents).hasSizeLessThanOrEqualTo(1);
            assertThat(payers.zones).hasSizeLessThanOrEqualTo(1);
        });
        // And some payments carry no payer at all, some come from an IP abroad
        assertThat(withoutPayer).isBetween(1_000, 3_000);
        assertThat(geoMismatch).isPositive().isLessThan(withCountry / 4);
    }

    @Test
    void shouldShareAddressesDevicesAndDocumentsAcrossWalletsSoVelocityAndDistinctRulesHaveSomethingToFind()
            throws Exception {
        // Given many demo payments
        Map<String, Set<String>> walletsByIp = new HashMap<>();
        Map<String, Set<String>> documentsByDevice = new HashMap<>();
        Map<String, Set<String>> walletsByDocument = new HashMap<>();
        for (JsonNode body : bodies(new DemoPayments(new SplittableRandom(42)), 20_000)) {
            JsonNode payer = body.path("payer");
            String wallet = body.path("msisdn").asText();
            if (payer.isMissingNode()) {
                continue;
            }
            walletsByIp.computeIfAbsent(payer.path("ip").asText(), ip -> new HashSet<>()).add(wallet);
            if (payer.has("documentNumber")) {
                walletsByDocument.computeIfAbsent(payer.path("documentNumber").asText(), document -> new HashSet<>())
                        .add(wallet);
                if (payer.has("deviceFingerprint")) {
                    documentsByDevice.computeIfAbsent(payer.path("deviceFingerprint").asText(),
                            device -> new HashSet<>()).add(payer.path("documentNumber").asText());
                }
            }
        }

        // Then addresses are shared (carrier NAT), one device stands behind several documents (a ring), and
        // some documents behind two wallets
        assertThat(walletsByIp.values().stream().mapToInt(Set::size).max().orElseThrow()).isGreaterThan(5);
        assertThat(documentsByDevice.values().stream().mapToInt(Set::size).max().orElseThrow()).isGreaterThan(3);
        assertThat(walletsByDocument.values().stream().filter(wallets -> wallets.size() == 2).count())
                .isBetween(1L, 4L);
    }

    private static List<JsonNode> bodies(DemoPayments payments, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(json.readTree(payments.next()));
        }
        return bodies;
    }

    private static void assertIpLiteral(String ip) {
        assertThat(ip).matches("[0-9a-f:.]{2,45}");
        assertThat(InetAddresses.isLiteral(ip)).as(ip).isTrue();
    }

    /** What one wallet's payments said about its customer. */
    private static final class Payers {
        final Set<String> devices = new HashSet<>();
        final Set<String> emails = new HashSet<>();
        final Set<String> ips = new HashSet<>();
        final Set<String> documents = new HashSet<>();
        final Set<String> zones = new HashSet<>();

        void add(JsonNode payer) {
            addIfPresent(devices, payer, "deviceFingerprint");
            addIfPresent(emails, payer, "email");
            addIfPresent(ips, payer, "ip");
            addIfPresent(documents, payer, "documentNumber");
            addIfPresent(zones, payer, "timeZone");
        }

        private static void addIfPresent(Set<String> values, JsonNode payer, String field) {
            if (payer.has(field)) {
                values.add(payer.path(field).asText());
            }
        }
    }

    /** Address literals without a name lookup: only digits, hex, dots and colons reach the parser. */
    private static final class InetAddresses {
        static boolean isLiteral(String text) {
            try {
                return java.net.InetAddress.getByName(text).getHostAddress() != null;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
    }
}
