package dev.ngao.ingest.http;

import java.util.List;

/**
 * The outcome of checking a request body: either the valid request, typed, or every refused field.
 *
 * @param <T> the type of a valid request
 */
public sealed interface Validation<T> permits Validation.Valid, Validation.Invalid {

    record Valid<T>(T value) implements Validation<T> {
    }

    record Invalid<T>(List<FieldError> errors) implements Validation<T> {
        public Invalid {
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid request has at least one error");
            }
            errors = List.copyOf(errors);
        }
    }

    /** {@code value} when {@code errors} is empty, else the errors. */
    static <T> Validation<T> of(List<FieldError> errors, java.util.function.Supplier<T> value) {
        return errors.isEmpty() ? new Valid<>(value.get()) : new Invalid<>(errors);
    }
}
