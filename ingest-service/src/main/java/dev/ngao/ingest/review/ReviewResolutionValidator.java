package dev.ngao.ingest.review;

import dev.ngao.events.Outcome;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a review resolution: APPROVE or DECLINE (a review cannot be resolved into another review), and
 * an optional note of at most {@value #MAXIMUM_NOTE_LENGTH} characters. Analysts are asked not to put personal
 * data in notes; the note is stored as written.
 */
public final class ReviewResolutionValidator {

    public static final String OUTCOME = "outcome";
    public static final String NOTE = "note";
    public static final int MAXIMUM_NOTE_LENGTH = 500;

    private static final Set<String> FIELDS = Set.of(OUTCOME, NOTE);
    private static final Set<Outcome> RESOLUTIONS = EnumSet.of(Outcome.APPROVE, Outcome.DECLINE);

    public Validation<ReviewResolutionRequest> validate(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(FIELDS);
        Outcome outcome = fields.requiredEnum(OUTCOME, Outcome.class, RESOLUTIONS);
        String note = fields.text(NOTE, false, MAXIMUM_NOTE_LENGTH);
        return Validation.of(fields.errors(), () -> new ReviewResolutionRequest(outcome, note));
    }
}
