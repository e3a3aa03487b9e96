package dev.ngao.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** BACKWARD compatibility as Confluent defines it: the new schema can read what the previous one wrote. */
public final class Compatibility {

    private Compatibility() {
    }

    public static boolean isBackwardCompatible(Schema newer, Schema previous) {
        return SchemaCompatibility.checkReaderWriterCompatibility(newer, previous).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    /** A readable account of why {@code newer} cannot read {@code previous}, or an empty string. */
    public static String incompatibilities(Schema newer, Schema previous) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(newer, previous).getResult();
        return result.getIncompatibilities().stream()
                .map(incompatibility -> incompatibility.getType() + " at " + incompatibility.getLocation()
                        + ": " + incompatibility.getMessage())
                .reduce((left, right) -> left + "; " + right)
                .orElse("");
    }
}
