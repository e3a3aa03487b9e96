package dev.ngao.risk.bench;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.CipDetails;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.SpendingControls;
import dev.ngao.events.SpendingInterval;
import dev.ngao.events.SpendingLimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests of one phase, made so that every rule family of default.yaml has values to work on while most
 * requests are approved. Accounts are used in turn (request i on account i mod accounts), so an account's
 * requests are evenly spaced and the per-account velocity rules stay quiet until a phase sends more than
 * about five requests per account. A quarter of the accounts each:
 * <ul>
 *   <li>M-Pesa wallets (KES, Kenya) and MTN MoMo wallets (UGX, Uganda): account id the MSISDN's hash,
 *       so the MSISDN velocity rule counts them;</li>
 *   <li>cards (KES), issued on cards.events before the phase with a daily control, authorised at a few
 *       merchant categories;</li>
 *   <li>PagoEfectivo CIP customers (PEN, Peru) with their DNI, email and phone hashes.</li>
 * </ul>
 * Every request carries risk signals: a client IP shared by four accounts of one kind, the account's own
 * device, email and document hashes, and the IP's country (another country than the payer's for one
 * account in fifty, which the geo-mismatch rule scores). Spread over {@link #MERCHANTS} merchants so that
 * no merchant's daily limit is reached even at 60,000 requests per second.
 *
 * <p>Deliberately outside the limits: one request in a hundred is above the per-transaction limit (a
 * DECLINE), and one wallet request in two hundred is a large first payment on a new device (the
 * new-device rule scores it; with a geo mismatch it goes to REVIEW).
 */
final class PhaseTraffic {

    static final int MERCHANTS = 100;
    static final String API_KEY_ID = "bench";

    private static final String[] CARD_CATEGORIES = {"5411", "5812", "5999", "4121", "5732"};
    private static final long CARD_DAILY_CONTROL_MINOR = 5_000_000;
    /** A card authorization's amount is below this (KES 3,000); the one in a hundred above every limit aside. */
    private static final long MAXIMUM_CARD_AMOUNT_MINOR = 300_000;
    /** Above default.yaml's per-transaction limit in KES, UGX and PEN alike: a sure decline. */
    private static final long ABOVE_PER_TRANSACTION_LIMITS_MINOR = 30_000_000;

    private final PhasePlan plan;

    PhaseTraffic(PhasePlan plan) {
        this.plan = plan;
    }

    /** What kind of payer an account is: a quarter of the accounts each. */
    enum Payer {
        MPESA_WALLET, MTN_WALLET, CARD, CIP_CUSTOMER;

        static Payer of(long account) {
            return values()[(int) (account % 4)];
        }
    }

    /** Request {@code index} of the phase, requested (and so scheduled) at {@code intendedAt}. */
    PaymentRequest request(long index, Instant intendedAt) {
        long account = index % plan.accounts();
        Payer payer = Payer.of(account);
        PaymentRequest.Builder request = PaymentRequest.newBuilder()
                .setTransactionId(plan.transactionId(index))
                .setMerchantId("bench-merchant-" + plan.number() + "-" + index % MERCHANTS)
                .setMerchantReference("order-" + index)
                .setAccountId(accountId(account))
                .setApiKeyId(API_KEY_ID)
                .setRequestedAt(intendedAt)
                .setSignals(signals(account, payer));
        switch (payer) {
            case MPESA_WALLET -> wallet(request, account, "KES", "KE", "MPESA", "+2547");
            case MTN_WALLET -> wallet(request, account, "UGX", "UG", "MTN_MOMO", "+25677");
            case CARD -> card(request, account, index);
            case CIP_CUSTOMER -> cip(request, account, intendedAt);
        }
        request.setAmount(new Money(amountMinor(index, payer), currency(payer)));
        return request.build();
    }

    /** The issuance of every card this phase uses, for cards.events, so that card-state knows them. */
    List<CardEvent> cardIssuances(Instant now) {
        List<CardEvent> issuances = new ArrayList<>();
        for (long account = 0; account < plan.accountsInUse(); account++) {
            if (Payer.of(account) == Payer.CARD) {
                issuances.add(issuance(accountId(account), now));
            }
        }
        return issuances;
    }

    /**
     * A load of every card this phase uses, so that the card-funds rule finds the funds its authorizations
     * spend: each card gets what its authorizations could take at most ({@link #requestsPerAccount} times the
     * largest card amount). Spread over the phase's merchants like the payments, so no merchant limit is near.
     */
    List<PaymentRequest> cardLoads(Instant now, String transactionPrefix) {
        List<PaymentRequest> loads = new ArrayList<>();
        long amountMinor = plan.requestsPerAccount() * MAXIMUM_CARD_AMOUNT_MINOR;
        for (long account = 0; account < plan.accountsInUse(); account++) {
            if (Payer.of(account) == Payer.CARD) {
                String cardId = accountId(account);
                String transactionId = transactionPrefix + plan.number() + "-" + account;
                loads.add(PaymentRequest.newBuilder()
                        .setTransactionId(transactionId)
                        .setType(PaymentType.CARD_LOAD)
                        .setMerchantId("bench-merchant-" + plan.number() + "-" + account % MERCHANTS)
                        .setMerchantReference(transactionId)
                        .setAccountKind(AccountKind.CARD)
                        .setAccountId(cardId)
                        .setAmount(new Money(amountMinor, "KES"))
                        .setProvider("card-issuing")
                        .setCountry("KE")
                        .setCard(new CardDetails(cardId, null, null))
                        .setApiKeyId(API_KEY_ID)
                        .setRequestedAt(now)
                        .build());
            }
        }
        return loads;
    }

    /** An issued KES card with a daily control, KYC verified, valid two years. */
    static CardEvent issuance(String cardId, Instant now) {
        SpendingControls controls = SpendingControls.newBuilder()
                .setLimits(List.of(new SpendingLimit(SpendingInterval.DAILY, CARD_DAILY_CONTROL_MINOR)))
                .build();
        return CardEvent.newBuilder()
                .setEventId("issue-" + cardId)
                .setType(CardEventType.ISSUED)
                .setCardId(cardId)
                .setMerchantId("bench-card-program")
                .setCardholderHash(Identities.hash("cardholder:" + cardId, 0, 0, 64))
                .setCurrency("KES")
                .setControls(controls)
                .setApiKeyId(API_KEY_ID)
                .setOccurredAt(now)
                .setKycStatus("VERIFIED")
                .setExpiresAt(now.plus(Duration.ofDays(730)))
                .build();
    }

    String accountId(long account) {
        return switch (Payer.of(account)) {
            // A wallet's account id is the keyed hash of its MSISDN, as ingest writes it.
            case MPESA_WALLET, MTN_WALLET -> hash("msisdn", account, 64);
            case CARD -> "card_" + hash("card", account, 24);
            case CIP_CUSTOMER -> "cus_" + hash("customer", account, 24);
        };
    }

    private void wallet(PaymentRequest.Builder request, long account, String currency, String country,
                        String operator, String dialPrefix) {
        String msisdn = dialPrefix + String.format("%08d", account % 100_000_000);
        request.setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setAccountKind(AccountKind.WALLET)
                .setProvider("mobile-money-hub")
                .setCountry(country)
                .setMobileMoney(new MobileMoneyDetails(msisdn, mask(msisdn), operator));
    }

    private void card(PaymentRequest.Builder request, long account, long index) {
        request.setType(PaymentType.CARD_AUTHORIZATION)
                .setAccountKind(AccountKind.CARD)
                .setProvider("card-network")
                .setCountry("KE")
                .setCard(new CardDetails(accountId(account), CARD_CATEGORIES[(int) (index % CARD_CATEGORIES.length)],
                        "KE"));
    }

    private void cip(PaymentRequest.Builder request, long account, Instant intendedAt) {
        request.setType(PaymentType.CIP_PAYMENT)
                .setAccountKind(AccountKind.CUSTOMER)
                .setProvider("pagoefectivo")
                .setCountry("PE")
                .setCip(CipDetails.newBuilder()
                        .setDocumentType("DNI")
                        .setDocumentHash(hash("document", account, 64))
                        .setDocumentMasked("****" + String.format("%04d", account % 10_000))
                        .setEmailHash(hash("email", account, 64))
                        .setEmailMasked("c***@example.pe")
                        .setPhoneHash(hash("phone", account, 64))
                        .setPhoneMasked("+519*****" + String.format("%02d", account % 100))
                        .setExpiresAt(intendedAt.plus(Duration.ofDays(1)))
                        .build());
    }

    private RiskSignals signals(long account, Payer payer) {
        String country = switch (payer) {
            case MPESA_WALLET, CARD -> "KE";
            case MTN_WALLET -> "UG";
            case CIP_CUSTOMER -> "PE";
        };
        boolean abroad = account % 50 == 7;
        return RiskSignals.newBuilder()
                .setClientIp(clientIp(account))
                .setIpCountry(abroad ? "US" : country)
                .setDeviceHash(hash("device", account, 64))
                .setEmailHash(hash("email", account, 64))
                .setDocumentHash(hash("document", account, 64))
                .setTimeZone(switch (payer) {
                    case MPESA_WALLET -> "Africa/Nairobi";
                    case MTN_WALLET -> "Africa/Kampala";
                    case CARD -> null;
                    case CIP_CUSTOMER -> "America/Lima";
                })
                .build();
    }

    /**
     * One address for four accounts of one kind (a, a+4, a+8, a+12), in 100.64.0.0/10 (carrier-grade NAT,
     * as mobile payers mostly have); each phase takes its own block of it. Only ever a value in a record:
     * nothing connects to it.
     */
    private String clientIp(long account) {
        long sharedBy = (account / 16) * 4 + account % 4;
        long addressesPerPhase = (plan.accounts() + 3L) / 4;
        long offset = (plan.number() * addressesPerPhase + sharedBy) % (1L << 22);
        return "100." + (64 + (offset >> 16)) + "." + ((offset >> 8) & 0xff) + "." + (offset & 0xff);
    }

    private long amountMinor(long index, Payer payer) {
        long spread = Identities.mix(plan.number(), index, 0x616d6f756e74L) >>> 1;
        if (index % 100 == 42) {
            return ABOVE_PER_TRANSACTION_LIMITS_MINOR;
        }
        return switch (payer) {
            case MPESA_WALLET -> index % 200 == 17 ? 2_500_000 : 5_000 + spread % 495_000; // KES 50 to 5,000
            case MTN_WALLET -> 1_000 + spread % 199_000;                                 // UGX 1,000 to 200,000
            case CARD -> 1_000 + spread % (MAXIMUM_CARD_AMOUNT_MINOR - 1_000);               // KES 10 to 3,000
            case CIP_CUSTOMER -> 1_000 + spread % 19_000;                               // PEN 10 to 200
        };
    }

    private static String currency(Payer payer) {
        return switch (payer) {
            case MPESA_WALLET, CARD -> "KES";
            case MTN_WALLET -> "UGX";
            case CIP_CUSTOMER -> "PEN";
        };
    }

    private String hash(String purpose, long account, int hexDigits) {
        return Identities.hash(purpose, plan.number(), account, hexDigits);
    }

    private static String mask(String msisdn) {
        return msisdn.substring(0, 5) + "*".repeat(msisdn.length() - 7) + msisdn.substring(msisdn.length() - 2);
    }
}
