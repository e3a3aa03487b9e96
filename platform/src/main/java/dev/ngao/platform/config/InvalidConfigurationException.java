package dev.ngao.platform.config;

/** Configuration refused at start; the message names the key and its environment variable. */
public final class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
