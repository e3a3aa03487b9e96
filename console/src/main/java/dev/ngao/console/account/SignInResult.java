package dev.ngao.console.account;

import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.KeySecret;

import java.time.Instant;
import java.util.Set;

/** What a sign-in came to. Refusals say nothing of which factor failed, or whether the account exists. */
public sealed interface SignInResult {

    /**
     * Password and code (or a recovery code) were right, and the account's key serves.
     *
     * @param signingSecret      the key's newest active secret, which the console signs this person's calls with
     * @param recoveryCodesLeft  how many unused recovery codes remain
     * @param recoveryCodeUsed   whether a recovery code stood in for the authenticator's code
     */
    record SignedIn(ConsoleUser user, ApiKey key, KeySecret signingSecret, Set<String> scopes,
                    boolean recoveryCodeUsed, int recoveryCodesLeft) implements SignInResult {
        @Override
        public String toString() {
            return "SignedIn[" + user.username() + ", key=" + key.keyId() + "]";
        }
    }

    /** Wrong username, password or code, or an account not enrolled yet. */
    record Refused() implements SignInResult {
    }

    /** Too many failures: nothing is tried before {@code until}. */
    record Locked(Instant until) implements SignInResult {
    }

    /** The credentials were right, but the account's API key is revoked, expired or gone. */
    record KeyUnavailable() implements SignInResult {
    }

    /** The credentials were right, but the role and the key share no console scope. */
    record NoScope() implements SignInResult {
    }
}
