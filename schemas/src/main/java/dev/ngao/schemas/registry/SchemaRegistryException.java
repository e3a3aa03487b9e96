package dev.ngao.schemas.registry;

/**
 * A registry refused or failed a call. {@code errorCode} follows Confluent's codes where one applies
 * (40401 subject not found, 40402 version not found, 40403 schema not found, 409 incompatible,
 * 42201 invalid schema), else the HTTP status of a REST failure, else 0.
 */
public class SchemaRegistryException extends RuntimeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE = 409;
    public static final int INVALID_SCHEMA = 42201;

    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = 0;
    }

    public SchemaRegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
