package dev.ngao.ingest.pii;

import java.util.regex.Pattern;

/**
 * The identity documents a payer may give (a CIP payer, or the payer of a payment in its risk signals), each
 * with its own format and hash dimension.
 */
public enum DocumentType {
    /** Peru's Documento Nacional de Identidad: exactly 8 digits (the check digit printed beside it is not sent). */
    DNI(Pattern.compile("[0-9]{8}"), "must be exactly 8 digits for a DNI", PersonalData.DNI),
    /** Carné de extranjería, issued by Migraciones: 9 digits. */
    CE(Pattern.compile("[0-9]{9}"), "must be exactly 9 digits for a CE", PersonalData.FOREIGNER_CARD),
    /** A passport number: 6 to 12 upper-case letters and digits (ICAO 9303 allows up to 9, some states more). */
    PASSPORT(Pattern.compile("[A-Z0-9]{6,12}"), "must be 6 to 12 characters among A-Z 0-9 for a PASSPORT",
            PersonalData.PASSPORT);

    private final Pattern format;
    private final String rule;
    private final String hashDimension;

    DocumentType(Pattern format, String rule, String hashDimension) {
        this.format = format;
        this.rule = rule;
        this.hashDimension = hashDimension;
    }

    public boolean accepts(String number) {
        return format.matcher(number).matches();
    }

    /** The refusal message: the rule, never the number. */
    public String rule() {
        return rule;
    }

    /** The keyed-hash dimension of this document's numbers: a DNI here hashes as a DNI block-list entry does. */
    public String hashDimension() {
        return hashDimension;
    }
}
