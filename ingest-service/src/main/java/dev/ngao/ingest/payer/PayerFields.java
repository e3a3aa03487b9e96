package dev.ngao.ingest.payer;

import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.pii.DocumentType;
import dev.ngao.ingest.pii.NetworkAddresses;
import dev.ngao.ingest.pii.PersonalData;

import java.time.ZoneId;
import java.util.Set;

/**
 * The optional {@code payer} object of a payment body: the risk signals a merchant knows about the payer.
 * Every field is optional and strictly checked, every failure reported under {@code payer.<field>} with the
 * rule and never the value, and unknown fields are refused like everywhere else.
 *
 * <p>A CIP body already names the payer's document and email at its top level; there the payer object takes
 * only the other signals ({@link #readWithoutIdentity}), so one request cannot name two documents.
 */
public final class PayerFields {

    public static final String PAYER = "payer";
    public static final String IP = "ip";
    public static final String IP_COUNTRY = "ipCountry";
    public static final String DEVICE_FINGERPRINT = "deviceFingerprint";
    public static final String EMAIL = "email";
    public static final String DOCUMENT_TYPE = "documentType";
    public static final String DOCUMENT_NUMBER = "documentNumber";
    public static final String TIME_ZONE = "timeZone";

    /** Every field a payer object may have, as the OpenAPI document lists them. */
    public static final Set<String> FIELDS = Set.of(IP, IP_COUNTRY, DEVICE_FINGERPRINT, EMAIL, DOCUMENT_TYPE,
            DOCUMENT_NUMBER, TIME_ZONE);
    /** The fields of a CIP's payer object, whose email and document are the body's own. */
    public static final Set<String> FIELDS_WITHOUT_IDENTITY = Set.of(IP, IP_COUNTRY, DEVICE_FINGERPRINT, TIME_ZONE);
    static final String IP_RULE = "must be an IPv4 or IPv6 address such as 198.51.100.7 or 2001:db8::7";
    static final String TIME_ZONE_RULE = "must be an IANA time zone such as America/Lima or Africa/Nairobi";
    /** The longest IANA zone id is about 30 characters; anything much longer is not one. */
    static final int MAXIMUM_TIME_ZONE_LENGTH = 64;
    /** The longest textual IPv6 address (an IPv4 tail included) has 45 characters. */
    static final int MAXIMUM_IP_LENGTH = 45;
    /**
     * Region ids of the time-zone database, plus UTC and its aliases; not offsets such as +05:00, which
     * know nothing of daylight saving. Read once: {@link ZoneId#getAvailableZoneIds()} copies its set per call.
     */
    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    private PayerFields() {
    }

    /** The payer object of {@code body}, if any; null when absent or refused (the refusals are in {@code body}). */
    public static Payer read(FieldReader body) {
        return read(body, true);
    }

    /** As {@link #read}, where email and document are not payer fields (they are the body's own). */
    public static Payer readWithoutIdentity(FieldReader body) {
        return read(body, false);
    }

    private static Payer read(FieldReader body, boolean withIdentity) {
        FieldReader fields = body.optionalObject(PAYER);
        if (fields == null) {
            return null;
        }
        // The nested reader shares the body's errors: any added from here on is one of the payer's.
        int errorsBefore = fields.errors().size();
        fields.refuseUnknown(withIdentity ? FIELDS : FIELDS_WITHOUT_IDENTITY);
        String ip = ip(fields);
        String ipCountry = fields.country(IP_COUNTRY, false);
        String device = fields.optionalMatching(DEVICE_FINGERPRINT, PersonalData.DEVICE_FINGERPRINT,
                PersonalData.DEVICE_FINGERPRINT_RULE);
        String email = null;
        DocumentType documentType = null;
        String documentNumber = null;
        if (withIdentity) {
            email = email(fields);
            documentType = documentType(fields);
            documentNumber = documentNumber(fields, documentType);
        }
        String timeZone = timeZone(fields);
        if (fields.errors().size() > errorsBefore) {
            return null;
        }
        Payer payer = new Payer(ip, ipCountry, device, email, documentType, documentNumber, timeZone);
        return payer.isEmpty() ? null : payer;
    }

    private static String ip(FieldReader fields) {
        String text = fields.optionalString(IP);
        if (text == null) {
            return null;
        }
        String canonical = text.length() > MAXIMUM_IP_LENGTH ? null
                : NetworkAddresses.canonicalAddress(text).orElse(null);
        if (canonical == null) {
            fields.refuse(IP, IP_RULE);
        }
        return canonical;
    }

    private static String email(FieldReader fields) {
        String email = fields.optionalMatching(EMAIL, FieldReader.EMAIL, FieldReader.EMAIL_RULE);
        return email == null ? null : PersonalData.normaliseEmail(email);
    }

    private static DocumentType documentType(FieldReader fields) {
        if (!fields.has(DOCUMENT_TYPE)) {
            if (fields.has(DOCUMENT_NUMBER)) {
                fields.refuse(DOCUMENT_TYPE, "is required with documentNumber");
            }
            return null;
        }
        return fields.requiredEnum(DOCUMENT_TYPE, DocumentType.class);
    }

    private static String documentNumber(FieldReader fields, DocumentType documentType) {
        if (!fields.has(DOCUMENT_NUMBER)) {
            if (fields.has(DOCUMENT_TYPE)) {
                fields.refuse(DOCUMENT_NUMBER, "is required with documentType");
            }
            return null;
        }
        String number = fields.requiredString(DOCUMENT_NUMBER);
        if (number == null || documentType == null) {
            return null;
        }
        if (!documentType.accepts(number)) {
            fields.refuse(DOCUMENT_NUMBER, documentType.rule());
            return null;
        }
        return number;
    }

    private static String timeZone(FieldReader fields) {
        String text = fields.optionalString(TIME_ZONE);
        if (text != null && (text.length() > MAXIMUM_TIME_ZONE_LENGTH || !ZONES.contains(text))) {
            fields.refuse(TIME_ZONE, TIME_ZONE_RULE);
            return null;
        }
        return text;
    }
}
