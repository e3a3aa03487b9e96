package dev.ngao.ingest.idempotency;

/** The format of an idempotency key (and of any key the claim store takes): 1 to 255 printable ASCII characters. */
public final class IdempotencyKeys {

    public static final int MAXIMUM_LENGTH = 255;

    private IdempotencyKeys() {
    }

    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAXIMUM_LENGTH) {
            return false;
        }
        for (int index = 0; index < key.length(); index++) {
            char character = key.charAt(index);
            if (character < 0x20 || character > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
