package dev.ngao.console.account;

import dev.ngao.events.AuditOutcome;

import java.util.Map;

/** Where the console's account events go ({@code audit.console}): usernames and reasons, never a secret. */
public interface AuditTrail {

    /** The actor of a record whose username names no account (it may be a mistyped password: never written). */
    String UNKNOWN_ACTOR = "unknown";

    /**
     * Records one event and returns once it is durable.
     *
     * @param actor   the username, {@link #UNKNOWN_ACTOR}, or who ran an administration command
     * @param subject the account's username, or {@link #UNKNOWN_ACTOR}
     * @throws IllegalStateException when the record could not be written; the event must then not take effect
     */
    void record(String actor, String action, String subject, AuditOutcome outcome, Map<String, String> details);
}
