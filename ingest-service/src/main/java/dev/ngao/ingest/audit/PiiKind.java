package dev.ngao.ingest.audit;

import dev.ngao.platform.pii.PiiProtector;

import java.util.function.UnaryOperator;

/** The kinds of personal data the door sees, each with the mask it is recorded under. */
public enum PiiKind {
    MSISDN(PiiProtector::maskMsisdn),
    /** A DNI or another identity document number. */
    DOCUMENT(PiiProtector::maskDocument),
    EMAIL(PiiProtector::maskEmail),
    CARD_NUMBER(PiiProtector::maskCardNumber);

    private final UnaryOperator<String> mask;

    PiiKind(UnaryOperator<String> mask) {
        this.mask = mask;
    }

    public String mask(String value) {
        return mask.apply(value);
    }
}
