package dev.ngao.ingest.payer;

import dev.ngao.events.RiskSignals;
import dev.ngao.ingest.pii.PersonalData;
import dev.ngao.platform.pii.PiiProtector;

/**
 * Turns a {@link Payer} into the {@link RiskSignals} of its payment. The IP address and its country travel in
 * clear (list ranges are matched on the address); device, email and document only as keyed hashes, each in
 * the dimension its kind is hashed in everywhere else: an email here hashes exactly as an EMAIL list entry of
 * the same address, a DNI as a DNI entry or a CIP payer's DNI, so rules and lists meet on one key.
 */
public final class PayerSignals {

    private final PiiProtector piiProtector;

    public PayerSignals(PiiProtector piiProtector) {
        this.piiProtector = piiProtector;
    }

    /** The signals of {@code payer}; null when there is no payer, as the event's field is then. */
    public RiskSignals of(Payer payer) {
        return payer == null ? null : builder(payer).build();
    }

    /** A builder holding {@code payer}'s signals, for routes that add their own (a CIP's document and email). */
    public RiskSignals.Builder builder(Payer payer) {
        RiskSignals.Builder signals = RiskSignals.newBuilder();
        if (payer == null) {
            return signals;
        }
        signals.setClientIp(payer.ip())
                .setIpCountry(payer.ipCountry())
                .setTimeZone(payer.timeZone());
        if (payer.deviceFingerprint() != null) {
            signals.setDeviceHash(piiProtector.hash(PersonalData.DEVICE, payer.deviceFingerprint()));
        }
        if (payer.email() != null) {
            signals.setEmailHash(emailHash(payer.email()));
        }
        if (payer.documentType() != null && payer.documentNumber() != null) {
            signals.setDocumentHash(piiProtector.hash(payer.documentType().hashDimension(), payer.documentNumber()));
        }
        return signals;
    }

    /** The keyed hash of an email, normalised first: Ana@Example.pe and ana@example.pe are one payer. */
    public String emailHash(String email) {
        return piiProtector.hash(PersonalData.EMAIL, PersonalData.normaliseEmail(email));
    }
}
