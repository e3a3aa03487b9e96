package dev.ngao.console.account;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.ConsoleUserRecord;
import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.InMemoryKeyStore;
import dev.ngao.platform.auth.KeySecret;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountsTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    private static final String ADDRESS = "192.0.2.10";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:10Z"));
    private final InMemoryKeyStore keys = new InMemoryKeyStore();
    private final List<ConsoleUserRecord> written = new ArrayList<>();
    private final UserStore users = new UserStore(written::add);
    private final List<Audited> audited = new ArrayList<>();
    private final SecretCipher cipher = new SecretCipher(new byte[32], new SecureRandom());
    private final Accounts accounts = new Accounts(users, keys,
            new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom()), cipher,
            (actor, action, subject, outcome, details) -> audited.add(new Audited(actor, action, subject, outcome, details)),
            clock, new SecureRandom(), new Accounts.Policy(5, Duration.ofMinutes(15), Duration.ofHours(72)));

    private record Audited(String actor, String action, String subject, AuditOutcome outcome, Map<String, String> details) {
    }

    /** An enrolled analyst: the secret its authenticator holds and its recovery codes. */
    private record Enrolled(byte[] secret, List<String> recoveryCodes) {
    }

    @Test
    void shouldInviteEnrolAndSignInWithPasswordAndTheAuthenticatorsCode() {
        // Given an analyst key and an invitation for alice
        key("analyst-key", Set.of(Scopes.REVIEWS_RESOLVE, Scopes.REPORTS_READ, Scopes.PAYMENTS_READ));
        Accounts.Invitation invitation = accounts.invite("alice", Role.ANALYST, "analyst-key", "ops-bob");

        // When she opens the link, adds the secret to her authenticator and confirms with its code
        Accounts.EnrolmentStart start = accounts.startEnrolment(invitation.token());
        byte[] secret = Base32.decode(start.secret());
        assertThat(start.otpauthUri()).startsWith("otpauth://totp/Ngao:alice?secret=" + start.secret());
        assertThat(accounts.startEnrolment(invitation.token()).secret()).as("a reloaded page").isEqualTo(start.secret());
        List<String> recoveryCodes = accounts.completeEnrolment(invitation.token(), PASSWORD, Totp.code(secret, clock.instant()));

        // Then she has ten recovery codes, and signs in with password and the next code
        assertThat(recoveryCodes).hasSize(RecoveryCodes.COUNT).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}"));
        clock.advance(Duration.ofSeconds(30));
        SignInResult result = accounts.signIn("alice", PASSWORD, Totp.code(secret, clock.instant()), ADDRESS);
        assertThat(result).isInstanceOfSatisfying(SignInResult.SignedIn.class, signedIn -> {
            assertThat(signedIn.key().keyId()).isEqualTo("analyst-key");
            assertThat(signedIn.scopes()).containsExactlyInAnyOrder(Scopes.REVIEWS_RESOLVE, Scopes.REPORTS_READ);
            assertThat(new String(signedIn.signingSecret().value(), StandardCharsets.UTF_8)).isEqualTo("key-secret-2");
        });
        // And the invitation, the enrolment and the sign-in are on the audit trail
        assertThat(audited).extracting(Audited::action)
                .containsExactly("account.created", "enrolment.completed", "sign-in.succeeded");
        assertThat(audited.get(0).actor()).isEqualTo("ops-bob");
        assertThat(audited.get(2).details()).containsEntry("clientAddress", ADDRESS).containsEntry("factor", "totp");
        // And the link works once only
        assertThatThrownBy(() -> accounts.startEnrolment(invitation.token())).isInstanceOf(EnrolmentRefused.class);
    }

    @Test
    void shouldKeepNoSecretInClearInTheStoredAccountOrTheAuditTrail() {
        key("analyst-key", Set.of(Scopes.REVIEWS_RESOLVE));
        Accounts.Invitation invitation = accounts.invite("alice", Role.ANALYST, "analyst-key", "ops");
        Enrolled enrolled = enrol(invitation);
        clock.advance(Duration.ofSeconds(30));
        String code = Totp.code(enrolled.secret(), clock.instant());
        accounts.signIn("alice", PASSWORD, code, ADDRESS);
        accounts.signIn("alice", "a wrong passphrase", code, ADDRESS);

        ConsoleUserRecord stored = written.get(written.size() - 1);
        String everything = written.toString() + audited;
        assertThat(everything).doesNotContain(PASSWORD).doesNotContain(invitation.token())
                .doesNotContain(Base32.encode(enrolled.secret())).doesNotContain(code)
                .doesNotContain(enrolled.recoveryCodes().get(0)).doesNotContain("a wrong passphrase");
        assertThat(stored.getPasswordHash()).startsWith("$argon2id$");
        assertThat(stored.getRecoveryCodeHashes()).hasSize(RecoveryCodes.COUNT).allMatch(hash -> hash.length() == 64);
        assertThat(stored.getTotpSecret().remaining()).isGreaterThan(enrolled.secret().length);
        assertThat(users.find("alice").orElseThrow().toString()).doesNotContain("argon2");
    }

    @Test
    void shouldRefuseAWrongPasswordOrCodeAlikeAndLockAfterFiveFailuresForFifteenMinutes() {
        Enrolled alice = enrolAlice();
        clock.advance(Duration.ofSeconds(30));
        String rightCode = Totp.code(alice.secret(), clock.instant());

        // When four sign-ins fail, by password or by code
        assertThat(accounts.signIn("alice", "not her passphrase", rightCode, ADDRESS)).isInstanceOf(SignInResult.Refused.class);
        assertThat(accounts.signIn("alice", PASSWORD, "000000", ADDRESS)).isInstanceOf(SignInResult.Refused.class);
        assertThat(accounts.signIn("alice", PASSWORD, "not-a-recovery-code", ADDRESS)).isInstanceOf(SignInResult.Refused.class);
        assertThat(accounts.signIn("alice", "", rightCode, ADDRESS)).isInstanceOf(SignInResult.Refused.class);
        // Then the fifth locks the account for 15 minutes
        assertThat(accounts.signIn("alice", "guess", rightCode, ADDRESS)).isInstanceOfSatisfying(SignInResult.Locked.class,
                locked -> assertThat(locked.until()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15))));
        assertThat(audited).filteredOn(each -> each.action().equals("account.locked")).hasSize(1);

        // And while locked even the right password and code are refused, and audited as such
        clock.advance(Duration.ofMinutes(14));
        assertThat(accounts.signIn("alice", PASSWORD, Totp.code(alice.secret(), clock.instant()), ADDRESS))
                .isInstanceOf(SignInResult.Locked.class);
        assertThat(audited.get(audited.size() - 1).action()).isEqualTo("sign-in.locked");

        // And once the 15 minutes are over she signs in, and her count starts again
        clock.advance(Duration.ofMinutes(1));
        assertThat(accounts.signIn("alice", PASSWORD, Totp.code(alice.secret(), clock.instant()), ADDRESS))
                .isInstanceOf(SignInResult.SignedIn.class);
        assertThat(users.find("alice").orElseThrow().failedAttempts()).isZero();
        assertThat(audited).filteredOn(each -> each.action().equals("sign-in.failed"))
                .extracting(each -> each.details().get("reason"))
                .containsExactly("password", "code", "code", "password", "password");
    }

    @Test
    void shouldForgetFailuresOnASuccessfulSignIn() {
        Enrolled alice = enrolAlice();
        for (int attempt = 0; attempt < 4; attempt++) {
            accounts.signIn("alice", "wrong passphrase!", "000000", ADDRESS);
        }
        clock.advance(Duration.ofSeconds(30));
        assertThat(accounts.signIn("alice", PASSWORD, Totp.code(alice.secret(), clock.instant()), ADDRESS))
                .isInstanceOf(SignInResult.SignedIn.class);

        assertThat(accounts.signIn("alice", "wrong passphrase!", "000000", ADDRESS)).isInstanceOf(SignInResult.Refused.class);
    }

    @Test
    void shouldLockAUsernameWithoutAnAccountAlikeAndNeverAuditTheNameTyped() {
        for (int attempt = 0; attempt < 4; attempt++) {
            assertThat(accounts.signIn("my secret passphrase", PASSWORD, "123456", ADDRESS))
                    .isInstanceOf(SignInResult.Refused.class);
        }

        assertThat(accounts.signIn("my secret passphrase", PASSWORD, "123456", ADDRESS))
                .isInstanceOf(SignInResult.Locked.class);
        assertThat(audited).hasSize(5).allSatisfy(each -> {
            assertThat(each.actor()).isEqualTo(AuditTrail.UNKNOWN_ACTOR);
            assertThat(each.toString()).doesNotContain("my secret passphrase");
        });
    }

    @Test
    void shouldAcceptEachRecoveryCodeOnceInPlaceOfTheAuthenticatorsCode() {
        Enrolled alice = enrolAlice();
        String recoveryCode = alice.recoveryCodes().get(3);

        // Typed in lower case without dashes, as people do
        SignInResult first = accounts.signIn("alice", PASSWORD, recoveryCode.toLowerCase().replace("-", ""), ADDRESS);
        assertThat(first).isInstanceOfSatisfying(SignInResult.SignedIn.class, signedIn -> {
            assertThat(signedIn.recoveryCodeUsed()).isTrue();
            assertThat(signedIn.recoveryCodesLeft()).isEqualTo(RecoveryCodes.COUNT - 1);
        });
        assertThat(audited).filteredOn(each -> each.action().equals("recovery-code.used")).singleElement()
                .satisfies(each -> assertThat(each.details()).containsEntry("recoveryCodesLeft", "9"));

        assertThat(accounts.signIn("alice", PASSWORD, recoveryCode, ADDRESS)).isInstanceOf(SignInResult.Refused.class);
        assertThat(accounts.signIn("alice", PASSWORD, alice.recoveryCodes().get(4), ADDRESS))
                .isInstanceOf(SignInResult.SignedIn.class);
    }

    @Test
    void shouldNotAcceptTheSameCodeTwice() {
        Enrolled alice = enrolAlice();
        clock.advance(Duration.ofSeconds(30));
        String code = Totp.code(alice.secret(), clock.instant());

        assertThat(accounts.signIn("alice", PASSWORD, code, ADDRESS)).isInstanceOf(SignInResult.SignedIn.class);
        assertThat(accounts.signIn("alice", PASSWORD, code, ADDRESS)).isInstanceOf(SignInResult.Refused.class);
        // nor the enrolment's code, a step earlier
    }

    @Test
    void shouldRefuseAnEnrolmentWithAShortPasswordAWrongCodeOrAnExpiredLink() {
        key("analyst-key", Set.of(Scopes.REVIEWS_RESOLVE));
        Accounts.Invitation invitation = accounts.invite("alice", Role.ANALYST, "analyst-key", "ops");
        byte[] secret = Base32.decode(accounts.startEnrolment(invitation.token()).secret());
        String code = Totp.code(secret, clock.instant());

        assertThatThrownBy(() -> accounts.completeEnrolment(invitation.token(), "too short", code))
                .isInstanceOfSatisfying(EnrolmentRefused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(EnrolmentRefused.WEAK_PASSWORD));
        assertThatThrownBy(() -> accounts.completeEnrolment(invitation.token(), PASSWORD, "000000"))
                .isInstanceOfSatisfying(EnrolmentRefused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(EnrolmentRefused.WRONG_CODE));
        assertThatThrownBy(() -> accounts.startEnrolment("not-the-token"))
                .isInstanceOfSatisfying(EnrolmentRefused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(EnrolmentRefused.UNKNOWN_LINK));
        assertThat(accounts.signIn("alice", PASSWORD, code, ADDRESS)).as("not enrolled").isInstanceOf(SignInResult.Refused.class);

        clock.advance(Duration.ofHours(72));
        assertThatThrownBy(() -> accounts.completeEnrolment(invitation.token(), PASSWORD, Totp.code(secret, clock.instant())))
                .isInstanceOfSatisfying(EnrolmentRefused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(EnrolmentRefused.UNKNOWN_LINK));
    }

    @Test
    void shouldDropTheOldCredentialsWhenAnAccountIsReset() {
        Enrolled alice = enrolAlice();

        Accounts.Invitation again = accounts.reset("alice", "ops");

        clock.advance(Duration.ofSeconds(30));
        assertThat(accounts.signIn("alice", PASSWORD, Totp.code(alice.secret(), clock.instant()), ADDRESS))
                .isInstanceOf(SignInResult.Refused.class);
        assertThat(accounts.startEnrolment(again.token()).secret()).isNotEqualTo(Base32.encode(alice.secret()));
    }

    @Test
    void shouldRefuseASignInOnceTheLinkedKeyIsRevokedAndGiveOnlyTheScopesRoleAndKeyShare() {
        Enrolled alice = enrolAlice();
        keys.save(keys.find("analyst-key").orElseThrow().revoked(clock.instant()));

        clock.advance(Duration.ofSeconds(30));
        assertThat(accounts.signIn("alice", PASSWORD, Totp.code(alice.secret(), clock.instant()), ADDRESS))
                .isInstanceOf(SignInResult.KeyUnavailable.class);

        key("operator-key", Set.of(Scopes.OPERATOR_READ, Scopes.OPERATOR_STOP));
        Accounts.Invitation invitation = accounts.invite("olga", Role.OPERATOR, "operator-key", "ops");
        Enrolled olga = enrol(invitation);
        clock.advance(Duration.ofSeconds(30));
        assertThat(accounts.signIn("olga", PASSWORD, Totp.code(olga.secret(), clock.instant()), ADDRESS))
                .isInstanceOfSatisfying(SignInResult.SignedIn.class,
                        signedIn -> assertThat(signedIn.scopes()).containsExactly(Scopes.OPERATOR_READ));
    }

    @Test
    void shouldRefuseAnInvitationForATakenOrMalformedUsernameOrAKeyThatCannotServeTheRole() {
        key("payments-key", Set.of(Scopes.PAYMENTS_WRITE));
        key("analyst-key", Set.of(Scopes.REVIEWS_RESOLVE));
        accounts.invite("alice", Role.ANALYST, "analyst-key", "ops");

        assertThatThrownBy(() -> accounts.invite("alice", Role.ANALYST, "analyst-key", "ops"))
                .hasMessageContaining("already");
        assertThatThrownBy(() -> accounts.invite("Alice Smith", Role.ANALYST, "analyst-key", "ops"))
                .hasMessageContaining("username");
        assertThatThrownBy(() -> accounts.invite("bob", Role.ANALYST, "payments-key", "ops"))
                .hasMessageContaining("none of the analyst role's scopes");
        assertThatThrownBy(() -> accounts.invite("bob", Role.ANALYST, "no-such-key", "ops"))
                .hasMessageContaining("no API key no-such-key");
    }

    private Enrolled enrolAlice() {
        key("analyst-key", Set.of(Scopes.REVIEWS_RESOLVE, Scopes.REPORTS_READ));
        return enrol(accounts.invite("alice", Role.ANALYST, "analyst-key", "ops"));
    }

    private Enrolled enrol(Accounts.Invitation invitation) {
        byte[] secret = Base32.decode(accounts.startEnrolment(invitation.token()).secret());
        return new Enrolled(secret, accounts.completeEnrolment(invitation.token(), PASSWORD,
                Totp.code(secret, clock.instant())));
    }

    /** A key with two secrets, the newer of which signs. */
    private void key(String keyId, Set<String> scopes) {
        Instant created = clock.instant().minus(Duration.ofDays(10));
        keys.save(new ApiKey(keyId, "merchant-a", Environment.SANDBOX, scopes, List.of(CidrBlock.parse("127.0.0.1/32")),
                Set.of(), List.of(
                new KeySecret("s1", "key-secret-1".getBytes(StandardCharsets.UTF_8), created, created.plus(Duration.ofDays(400))),
                new KeySecret("s2", "key-secret-2".getBytes(StandardCharsets.UTF_8), created.plusSeconds(60),
                        created.plus(Duration.ofDays(400)))),
                created, created, null));
    }
}
