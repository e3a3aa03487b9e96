package dev.ngao.sandbox.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.webhook.CardNetworkSignature;
import dev.ngao.platform.webhook.MobileMoneyHubSignature;
import dev.ngao.platform.webhook.PagoEfectivoSignature;
import dev.ngao.platform.webhook.WebhookSignatureScheme;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.card.CardNetworkApi;
import dev.ngao.providers.mobilemoney.MobileMoneyHubApi;
import dev.ngao.providers.pagoefectivo.PagoEfectivoApi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * How one simulated provider speaks: the provider side of its contract in the {@code providers} module
 * ({@code *Api}: paths, credentials, status words), and the webhooks it sends in the JSON that
 * ingest-service reads for that provider, to the path ingest-service serves it on.
 */
abstract sealed class Dialect permits Dialect.MobileMoneyHub, Dialect.PagoEfectivo, Dialect.CardNetwork {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** What a submission asks for. */
    record Submission(String transactionId, Money amount, String referenceHint, Instant expiresAt) {
    }

    static Dialect of(ProviderKind kind) {
        return switch (kind) {
            case MOBILE_MONEY_HUB -> new MobileMoneyHub();
            case PAGOEFECTIVO -> new PagoEfectivo();
            case CARD_NETWORK -> new CardNetwork();
        };
    }

    abstract ProviderKind kind();

    /** Ingest-service's webhook path for this provider. */
    abstract String webhookPath();

    abstract WebhookSignatureScheme scheme();

    /** The resource path of payments, under the provider's prefix: submit there, query at {@code /<transactionId>}. */
    abstract String resourcePath();

    abstract boolean authenticated(UnaryOperator<String> header, String key, String secret);

    /** @throws IllegalArgumentException naming the refused field */
    abstract Submission submission(JsonNode body);

    /** The answer to a submission or a status query. */
    abstract Map<String, Object> answer(SandboxPayment payment, Instant now);

    /** The webhook body telling {@code status} of {@code payment}, as ingest-service reads it. */
    abstract Map<String, Object> webhookBody(SandboxPayment payment, ProviderStatus status, String eventId, Instant at);

    /** The fee the provider charged, named on the webhook of a success as its report names it on a fee row. */
    static void putFee(Map<String, Object> body, SandboxPayment payment, ProviderStatus status) {
        if (status == ProviderStatus.SUCCEEDED && payment.fee() != null) {
            body.put("fee", decimal(payment.fee()));
        }
    }

    /** The status a payment ends in when it does not succeed. */
    abstract ProviderStatus unsuccessful();

    /** The fee in basis points of the amount, charged on success. */
    abstract long feeBasisPoints();

    /** The provider's reference of a new payment. */
    abstract String reference(long sequence, Instant acceptedAt, String hint, Chance chance);

    static String decimal(Money money) {
        return Amounts.toDecimalText(money.getAmountMinor(), money.getCurrency());
    }

    static String utc(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    static String identifier(JsonNode body, String field) {
        String value = body.path(field).asText("");
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1 to 128 characters among A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    static Money money(String amount, String currency, String field) {
        try {
            return new Money(Amounts.toMinorUnits(amount, currency), currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    static boolean same(String presented, String expected) {
        // An empty configured secret accepts nothing.
        return presented != null && !expected.isEmpty() && MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    static final class MobileMoneyHub extends Dialect {
        @Override
        ProviderKind kind() {
            return ProviderKind.MOBILE_MONEY_HUB;
        }

        @Override
        String webhookPath() {
            return "/webhooks/mobile-money";
        }

        @Override
        WebhookSignatureScheme scheme() {
            return new MobileMoneyHubSignature();
        }

        @Override
        String resourcePath() {
            return MobileMoneyHubApi.PAYMENTS_PATH;
        }

        @Override
        boolean authenticated(UnaryOperator<String> header, String key, String secret) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret)
                    .getBytes(StandardCharsets.UTF_8));
            return !secret.isEmpty() && same(header.apply("Authorization"), expected);
        }

        @Override
        Submission submission(JsonNode body) {
            String currency = body.path("currency").asText("");
            return new Submission(identifier(body, "transactionId"),
                    money(body.path("amount").asText(""), currency, "amount"), null, null);
        }

        @Override
        Map<String, Object> answer(SandboxPayment payment, Instant now) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("transactionId", payment.transactionId());
            answer.put("hubReference", payment.reference());
            answer.put("status", MobileMoneyHubApi.STATUSES.word(payment.statusAt(now)));
            answer.put("amount", decimal(payment.amount()));
            answer.put("currency", payment.amount().getCurrency());
            if (payment.statusAt(now) != ProviderStatus.PENDING && payment.fee() != null) {
                answer.put("fee", decimal(payment.fee()));
            }
            answer.put("occurredAt", utc(payment.statusSince(now)));
            return answer;
        }

        @Override
        Map<String, Object> webhookBody(SandboxPayment payment, ProviderStatus status, String eventId, Instant at) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("eventId", eventId);
            body.put("transactionId", payment.transactionId());
            body.put("hubReference", payment.reference());
            body.put("status", MobileMoneyHubApi.STATUSES.word(status));
            body.put("amount", decimal(payment.amount()));
            body.put("currency", payment.amount().getCurrency());
            putFee(body, payment, status);
            body.put("occurredAt", utc(at));
            return body;
        }

        @Override
        ProviderStatus unsuccessful() {
            return ProviderStatus.FAILED;
        }

        @Override
        long feeBasisPoints() {
            return 100;
        }

        @Override
        String reference(long sequence, Instant acceptedAt, String hint, Chance chance) {
            return "MMH-" + DateTimeFormatter.BASIC_ISO_DATE.format(acceptedAt.atOffset(ZoneOffset.UTC))
                    + "-" + String.format(Locale.ROOT, "%06d", sequence);
        }
    }

    static final class PagoEfectivo extends Dialect {
        @Override
        ProviderKind kind() {
            return ProviderKind.PAGOEFECTIVO;
        }

        @Override
        String webhookPath() {
            return "/webhooks/pagoefectivo";
        }

        @Override
        WebhookSignatureScheme scheme() {
            return new PagoEfectivoSignature();
        }

        @Override
        String resourcePath() {
            return PagoEfectivoApi.CIPS_PATH;
        }

        @Override
        boolean authenticated(UnaryOperator<String> header, String key, String secret) {
            return same(header.apply(PagoEfectivoApi.ACCESS_KEY_HEADER), key)
                    && same(header.apply(PagoEfectivoApi.SECRET_KEY_HEADER), secret);
        }

        @Override
        Submission submission(JsonNode body) {
            String currency = body.path("currency").asText("");
            String paymentCode = body.path("paymentCode").asText(null);
            if (paymentCode != null && !paymentCode.matches("[0-9]{1,20}")) {
                throw new IllegalArgumentException("paymentCode must be digits");
            }
            Instant expiresAt = null;
            String expiry = body.path("expiresAt").asText(null);
            if (expiry != null) {
                try {
                    expiresAt = java.time.LocalDateTime.parse(expiry, PagoEfectivoApi.LOCAL_DATE_TIME)
                            .atZone(PagoEfectivoApi.LIMA).toInstant();
                } catch (java.time.DateTimeException e) {
                    throw new IllegalArgumentException("expiresAt must be a Lima local date-time yyyy-MM-ddTHH:mm:ss");
                }
            }
            return new Submission(identifier(body, "transactionCode"),
                    money(body.path("amount").asText(""), currency, "amount"), paymentCode, expiresAt);
        }

        @Override
        Map<String, Object> answer(SandboxPayment payment, Instant now) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("transactionCode", payment.transactionId());
            answer.put("cip", payment.reference());
            answer.put("status", PagoEfectivoApi.STATUSES.word(payment.statusAt(now)));
            answer.put("amount", decimal(payment.amount()));
            answer.put("currency", payment.amount().getCurrency());
            if (payment.statusAt(now) != ProviderStatus.PENDING && payment.fee() != null) {
                answer.put("fee", decimal(payment.fee()));
            }
            answer.put("eventDate", lima(payment.statusSince(now)));
            return answer;
        }

        @Override
        Map<String, Object> webhookBody(SandboxPayment payment, ProviderStatus status, String eventId, Instant at) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("eventId", eventId);
            body.put("eventType", PagoEfectivoApi.EVENT_TYPES.word(status));
            body.put("cip", payment.reference());
            body.put("transactionCode", payment.transactionId());
            body.put("amount", decimal(payment.amount()));
            body.put("currency", payment.amount().getCurrency());
            putFee(body, payment, status);
            body.put("eventDate", lima(at));
            return body;
        }

        private static String lima(Instant at) {
            return at.atZone(PagoEfectivoApi.LIMA).format(PagoEfectivoApi.LOCAL_DATE_TIME);
        }

        @Override
        ProviderStatus unsuccessful() {
            // A CIP nobody paid before its expiry.
            return ProviderStatus.EXPIRED;
        }

        @Override
        long feeBasisPoints() {
            return 300;
        }

        @Override
        String reference(long sequence, Instant acceptedAt, String hint, Chance chance) {
            return hint != null ? hint : String.format(Locale.ROOT, "9%012d", sequence);
        }
    }

    static final class CardNetwork extends Dialect {
        private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

        @Override
        ProviderKind kind() {
            return ProviderKind.CARD_NETWORK;
        }

        @Override
        String webhookPath() {
            return "/webhooks/card-network";
        }

        @Override
        WebhookSignatureScheme scheme() {
            return new CardNetworkSignature();
        }

        @Override
        String resourcePath() {
            return CardNetworkApi.CAPTURES_PATH;
        }

        @Override
        boolean authenticated(UnaryOperator<String> header, String key, String secret) {
            return same(header.apply(CardNetworkApi.API_KEY_HEADER), key)
                    && same(header.apply(CardNetworkApi.API_SECRET_HEADER), secret);
        }

        @Override
        Submission submission(JsonNode body) {
            JsonNode amount = body.path("amount");
            return new Submission(identifier(body, "transactionId"),
                    money(amount.path("value").asText(""), amount.path("currency").asText(""), "amount"), null, null);
        }

        @Override
        Map<String, Object> answer(SandboxPayment payment, Instant now) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("transactionId", payment.transactionId());
            answer.put("authorizationCode", payment.reference());
            answer.put("type", CardNetworkApi.TYPES.word(payment.statusAt(now)));
            answer.put("amount", money(payment.amount()));
            if (payment.statusAt(now) != ProviderStatus.PENDING && payment.fee() != null) {
                answer.put("interchangeFee", money(payment.fee()));
            }
            answer.put("timestamp", utc(payment.statusSince(now)));
            return answer;
        }

        @Override
        Map<String, Object> webhookBody(SandboxPayment payment, ProviderStatus status, String eventId, Instant at) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", eventId);
            body.put("transactionId", payment.transactionId());
            body.put("authorizationCode", payment.reference());
            body.put("type", CardNetworkApi.TYPES.word(status));
            body.put("amount", money(payment.amount()));
            body.put("timestamp", utc(at));
            return body;
        }

        private static Map<String, Object> money(Money money) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("value", decimal(money));
            value.put("currency", money.getCurrency());
            return value;
        }

        @Override
        ProviderStatus unsuccessful() {
            return ProviderStatus.FAILED;
        }

        @Override
        long feeBasisPoints() {
            return 150;
        }

        @Override
        String reference(long sequence, Instant acceptedAt, String hint, Chance chance) {
            StringBuilder code = new StringBuilder(6);
            for (int index = 0; index < 6; index++) {
                code.append(CODE_ALPHABET.charAt(chance.nextInt(CODE_ALPHABET.length())));
            }
            // The sequence keeps two payments from sharing a code.
            return code + "-" + sequence;
        }
    }
}
