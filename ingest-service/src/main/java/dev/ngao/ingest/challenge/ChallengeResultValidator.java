package dev.ngao.ingest.challenge;

import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;

import java.util.Map;
import java.util.Set;

/** The body of a challenge's result: {@code {"result": "PASSED" | "FAILED"}} and nothing else. */
public final class ChallengeResultValidator {

    public static final String RESULT = "result";

    private static final Set<String> FIELDS = Set.of(RESULT);

    public Validation<ChallengeVerification> validate(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(FIELDS);
        ChallengeVerification result = fields.requiredEnum(RESULT, ChallengeVerification.class);
        return Validation.of(fields.errors(), () -> result);
    }
}
