package dev.ngao.reconciler.view;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What the ledger view knows of one payment, merged from its risk decision, its ledger approval entry and
 * the provider's events. Immutable; each source makes a new copy with its facts. Amounts are minor units.
 *
 * @param approved          an APPROVE decision was seen: the payment moves money and must settle
 * @param decidedAtMs       when it was approved (0 when no decision was seen)
 * @param postedEntryId     the ledger's approval entry (null until posted)
 * @param status            the provider's last applied status (null when the provider has said nothing)
 * @param statusAtMs        when the provider says that status took effect
 * @param finalAtMs         when the provider says the first final status took effect (0 while none): the
 *                          settlement day is its day in the provider's zone
 * @param expiresAtMs       a CIP's expiry (0 for other payments)
 */
public record ViewPayment(String transactionId, String provider, boolean approved, long decidedAtMs,
                          Money decided, String postedEntryId, Money posted, String providerReference,
                          ProviderStatus status, long statusAtMs, long finalAtMs, Money fee, long expiresAtMs) {

    private static final byte FORMAT_VERSION = 1;

    public static ViewPayment empty(String transactionId) {
        return new ViewPayment(transactionId, null, false, 0, null, null, null, null, null, 0, 0, null, 0);
    }

    /** True once the ledger side has the payment: an approval or a posted entry. */
    public boolean inLedger() {
        return provider != null && (approved || postedEntryId != null);
    }

    /** What the ledger says the provider should settle: the posted amount, else the approved one. */
    public Money expectedAmount() {
        return posted != null ? posted : decided;
    }

    /** The provider's status, PENDING while it has said nothing. */
    public ProviderStatus effectiveStatus() {
        return status == null ? ProviderStatus.PENDING : status;
    }

    public boolean isFinal() {
        return isFinal(status);
    }

    public static boolean isFinal(ProviderStatus status) {
        return status == ProviderStatus.SUCCEEDED || status == ProviderStatus.FAILED
                || status == ProviderStatus.EXPIRED || status == ProviderStatus.REVERSED;
    }

    /** The reference a report row carries: the provider's, or the transaction id while none is known. */
    public String matchReference() {
        return providerReference != null ? providerReference : transactionId;
    }

    /**
     * The provider's settlement day: the date, in the provider's settlement zone, of its final status, or
     * of the approval while none has come. Null while neither is known.
     */
    public LocalDate settlementDay() {
        long atMs = finalAtMs != 0 ? finalAtMs : decidedAtMs;
        if (atMs == 0 || provider == null) {
            return null;
        }
        return Instant.ofEpochMilli(atMs).atZone(zoneOf(provider)).toLocalDate();
    }

    /** An approved payment the provider has not settled: the stuck-payment chaser's concern. */
    public boolean awaitingProvider() {
        return approved && provider != null && !isFinal();
    }

    /** The settlement zone of a provider id; UTC for an id Ngao has no kind for. */
    public static ZoneId zoneOf(String provider) {
        return ProviderKind.ofId(provider).map(ProviderKind::settlementZone).orElse(ZoneOffset.UTC);
    }

    ViewPayment withDecision(String providerId, Money amount, long decidedAt) {
        return new ViewPayment(transactionId, providerId, true, decidedAt, amount, postedEntryId, posted,
                providerReference, status, statusAtMs, finalAtMs, fee, expiresAtMs);
    }

    /** The approval withdrawn by a final DECLINE: no longer owed by the provider, chased or expected on a day. */
    ViewPayment withoutApproval() {
        return new ViewPayment(transactionId, provider, false, decidedAtMs, decided, postedEntryId, posted,
                providerReference, status, statusAtMs, finalAtMs, fee, expiresAtMs);
    }

    ViewPayment withProvider(String providerId) {
        return new ViewPayment(transactionId, providerId, approved, decidedAtMs, decided, postedEntryId, posted,
                providerReference, status, statusAtMs, finalAtMs, fee, expiresAtMs);
    }

    ViewPayment withPosting(String entryId, Money amount) {
        return new ViewPayment(transactionId, provider, approved, decidedAtMs, decided, entryId, amount,
                providerReference, status, statusAtMs, finalAtMs, fee, expiresAtMs);
    }

    ViewPayment withProviderWord(String providerId, String reference, ProviderStatus newStatus, long occurredAtMs,
                                 Money newFee) {
        long finalAt = finalAtMs == 0 && isFinal(newStatus) ? occurredAtMs : finalAtMs;
        return new ViewPayment(transactionId, provider == null ? providerId : provider, approved, decidedAtMs,
                decided, postedEntryId, posted, reference == null ? providerReference : reference,
                newStatus, occurredAtMs, finalAt, newFee == null ? fee : newFee, expiresAtMs);
    }

    ViewPayment withReference(String reference, Money newFee) {
        return new ViewPayment(transactionId, provider, approved, decidedAtMs, decided, postedEntryId, posted,
                reference == null ? providerReference : reference, status, statusAtMs, finalAtMs,
                newFee == null ? fee : newFee, expiresAtMs);
    }

    ViewPayment withExpiry(long expiresAt) {
        return new ViewPayment(transactionId, provider, approved, decidedAtMs, decided, postedEntryId, posted,
                providerReference, status, statusAtMs, finalAtMs, fee, expiresAt);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(transactionId);
            writeNullable(out, provider);
            out.writeBoolean(approved);
            out.writeLong(decidedAtMs);
            writeMoney(out, decided);
            writeNullable(out, postedEntryId);
            writeMoney(out, posted);
            writeNullable(out, providerReference);
            writeNullable(out, status == null ? null : status.name());
            out.writeLong(statusAtMs);
            out.writeLong(finalAtMs);
            writeMoney(out, fee);
            out.writeLong(expiresAtMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ViewPayment decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalStateException("unknown view payment format " + version);
            }
            String transactionId = in.readUTF();
            String provider = readNullable(in);
            boolean approved = in.readBoolean();
            long decidedAt = in.readLong();
            Money decided = readMoney(in);
            String entryId = readNullable(in);
            Money posted = readMoney(in);
            String reference = readNullable(in);
            String status = readNullable(in);
            long statusAt = in.readLong();
            long finalAt = in.readLong();
            Money fee = readMoney(in);
            long expiresAt = in.readLong();
            return new ViewPayment(transactionId, provider, approved, decidedAt, decided, entryId, posted, reference,
                    status == null ? null : ProviderStatus.valueOf(status), statusAt, finalAt, fee, expiresAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static void writeMoney(DataOutputStream out, Money money) throws IOException {
        out.writeBoolean(money != null);
        if (money != null) {
            out.writeLong(money.getAmountMinor());
            out.writeUTF(money.getCurrency());
        }
    }

    static Money readMoney(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long amountMinor = in.readLong();
        // The all-arguments constructor: a builder validates and copies, which a scan of a day pays per payment.
        return new Money(amountMinor, in.readUTF());
    }
}
