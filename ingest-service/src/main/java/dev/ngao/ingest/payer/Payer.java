package dev.ngao.ingest.payer;

import dev.ngao.ingest.pii.DocumentType;

/**
 * What a merchant told about the payer beyond the account, validated and normalised: the IP address in
 * canonical text, the email in lower case. Every field is optional (null when not given); document type and
 * number come together or not at all.
 */
public record Payer(String ip, String ipCountry, String deviceFingerprint, String email, DocumentType documentType,
                    String documentNumber, String timeZone) {

    static final Payer NONE = new Payer(null, null, null, null, null, null, null);

    /** Whether the merchant gave nothing at all: no signals then, as if there were no payer object. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    @Override
    public String toString() {
        // Device, email and document are personal (and so is the IP): a stray log of this record shows only
        // which of them were given.
        return "Payer[ip=" + given(ip) + ", ipCountry=" + ipCountry + ", device=" + given(deviceFingerprint)
                + ", email=" + given(email) + ", documentType=" + documentType + ", timeZone=" + timeZone + "]";
    }

    private static String given(String value) {
        return value == null ? "absent" : "given";
    }
}
