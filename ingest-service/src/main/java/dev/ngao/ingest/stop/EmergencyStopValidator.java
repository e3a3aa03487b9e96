package dev.ngao.ingest.stop;

import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;
import dev.ngao.platform.auth.ApiKey;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of an emergency stop. The path names what it covers: {@code GLOBAL} with no target, {@code MERCHANT}
 * with a merchant id, {@code PROVIDER} with a known provider id. The body (or, to lift, the query) names the
 * traffic, {@code PAYOUTS} or {@code ALL}, and a reason of 1 to {@value #MAXIMUM_REASON_LENGTH} characters:
 * required to set (merchants read it in their declines), optional to lift.
 */
public final class EmergencyStopValidator {

    public static final String SCOPE = "scope";
    public static final String TARGET = "target";
    public static final String TRAFFIC = "traffic";
    public static final String REASON = "reason";
    public static final int MAXIMUM_REASON_LENGTH = 500;
    /** The reason a lift records when the operator gave none. */
    public static final String DEFAULT_LIFT_REASON = "Lifted.";

    private static final Set<String> FIELDS = Set.of(TRAFFIC, REASON);
    private static final Set<StopScope> SCOPES = EnumSet.of(StopScope.GLOBAL, StopScope.MERCHANT, StopScope.PROVIDER);
    private static final Set<StopTraffic> TRAFFIC_VALUES = EnumSet.of(StopTraffic.PAYOUTS, StopTraffic.ALL);

    private final Set<String> providers;

    /** @param providers the provider ids a PROVIDER stop may name, as payment requests carry them */
    public EmergencyStopValidator(Set<String> providers) {
        this.providers = Set.copyOf(providers);
    }

    /** A stop to set: the path's scope and target, a body with traffic and reason. */
    public Validation<EmergencyStopCommand> toSet(String scopeText, String target, Map<String, ?> body) {
        List<FieldError> errors = new ArrayList<>();
        StopScope scope = scope(scopeText, target, errors);
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(FIELDS);
        StopTraffic traffic = fields.requiredEnum(TRAFFIC, StopTraffic.class, TRAFFIC_VALUES);
        String reason = fields.text(REASON, true, MAXIMUM_REASON_LENGTH);
        errors.addAll(fields.errors());
        return Validation.of(errors, () -> new EmergencyStopCommand(scope, target, traffic, reason));
    }

    /**
     * A stop to lift: the path's scope and target, the traffic in the query ({@code trafficQuery}, null when
     * absent) or the body (empty when none was sent), an optional reason in the body.
     */
    public Validation<EmergencyStopCommand> toLift(String scopeText, String target, String trafficQuery,
                                                   Map<String, ?> body) {
        List<FieldError> errors = new ArrayList<>();
        StopScope scope = scope(scopeText, target, errors);
        Map<String, Object> merged = new LinkedHashMap<>(body);
        if (trafficQuery != null) {
            Object inBody = merged.putIfAbsent(TRAFFIC, trafficQuery);
            if (inBody != null && !inBody.equals(trafficQuery)) {
                errors.add(new FieldError(TRAFFIC, "is given in the query and the body with different values"));
            }
        }
        FieldReader fields = FieldReader.of(merged);
        fields.refuseUnknown(FIELDS);
        StopTraffic traffic = fields.requiredEnum(TRAFFIC, StopTraffic.class, TRAFFIC_VALUES);
        String reason = fields.text(REASON, false, MAXIMUM_REASON_LENGTH);
        errors.addAll(fields.errors());
        return Validation.of(errors, () -> new EmergencyStopCommand(scope, target, traffic,
                reason == null ? DEFAULT_LIFT_REASON : reason));
    }

    /** The scope of the path, checked with its target (null when the path has none). */
    private StopScope scope(String scopeText, String target, List<FieldError> errors) {
        StopScope scope = SCOPES.stream().filter(known -> known.name().equals(scopeText)).findFirst().orElse(null);
        if (scope == null) {
            errors.add(new FieldError(SCOPE, "must be one of GLOBAL, MERCHANT, PROVIDER"));
            return null;
        }
        switch (scope) {
            case GLOBAL -> {
                if (target != null) {
                    errors.add(new FieldError(TARGET, "must be absent for a GLOBAL stop: /v1/emergency-stops/GLOBAL"));
                }
            }
            case MERCHANT -> {
                if (target == null) {
                    errors.add(new FieldError(TARGET,
                            "is required for a MERCHANT stop: /v1/emergency-stops/MERCHANT/{merchantId}"));
                } else if (!ApiKey.IDENTIFIER.matcher(target).matches()) {
                    errors.add(new FieldError(TARGET,
                            "must be a merchant id: 1 to 64 characters among A-Z a-z 0-9 . _ -"));
                }
            }
            case PROVIDER -> {
                if (target == null) {
                    errors.add(new FieldError(TARGET,
                            "is required for a PROVIDER stop: /v1/emergency-stops/PROVIDER/{providerId}"));
                } else if (!providers.contains(target)) {
                    errors.add(new FieldError(TARGET,
                            "must be a known provider: " + String.join(", ", new TreeSet<>(providers))));
                }
            }
            default -> throw new IllegalStateException("scope " + scope + " is not one a path may name");
        }
        return scope;
    }
}
