package dev.ngao.console;

import dev.ngao.console.account.Accounts;
import dev.ngao.console.account.Base32;
import dev.ngao.console.account.Role;
import dev.ngao.console.account.Totp;
import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.platform.auth.KeySecret;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two-factor sign-in in headless Chromium (Debian's chromium and chromedriver, which .ci/run installs; skipped
 * where they are absent), on a real broker: an operator invites an analyst, who opens the enrolment link, reads
 * the authenticator key shown beside the QR code (the test computes its codes, as the phone would), chooses a
 * password, keeps the recovery codes, signs in with password and code after a wrong code was refused, signs in
 * once with a recovery code, and is locked out by five failed sign-ins. Screenshots go to
 * target/console-screenshots.
 */
@EnabledIf(value = "browserInstalled",
        disabledReason = "Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
@ExtendWith(KafkaClusterExtension.class)
class ConsoleSignInBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SCOPE = "console-browser-it-" + UUID.randomUUID();
    private static final String PASSWORD = "purple elephants dance at noon";

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private KafkaContext kafka;
    private KafkaKeyStore keys;
    private ConsoleService console;
    private UserAdministration users;
    private StubPrometheus prometheus;
    private WebDriver browser;
    private WebDriverWait wait;

    /** Whether the browser is there: without it the class is skipped and its cluster never started. */
    static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @AfterAll
    static void dropRegistryScope() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @BeforeEach
    void start(KafkaTestCluster cluster) throws Exception {
        kafka = KafkaContext.connect(cluster.settings(SCOPE));
        Map<String, String> environment = new HashMap<>(cluster.environment(SCOPE));
        environment.put("NGAO_CONSOLE_HTTP_PORT", "0");
        environment.put("NGAO_CONSOLE_KEYS_MASTER_KEY", ConsoleConfigTest.MASTER_KEY);
        prometheus = new StubPrometheus();
        environment.put("NGAO_CONSOLE_PROMETHEUS_URL", prometheus.url());
        ConsoleConfig config = ConsoleConfig.fromEnvironment(environment);
        keys = new KafkaKeyStore(kafka, new SecretCipher(config.masterKey(), new SecureRandom()), "browser-it-keys").start();
        Instant now = Instant.now();
        keys.save(new ApiKey("analyst-" + run, "merchant-" + run, Environment.SANDBOX,
                Set.of("reviews:resolve", "reports:read"), List.of(CidrBlock.parse("127.0.0.1/32")), Set.of(),
                List.of(new KeySecret("s1", "analyst-secret".getBytes(StandardCharsets.UTF_8), now,
                        now.plus(Duration.ofDays(30)))), now, now, null));
        console = new ConsoleService(config, kafka);
        console.start();
        // The enrolment link names the console where this test's runs, as NGAO_CONSOLE_PUBLIC_URL would.
        environment.put("NGAO_CONSOLE_PUBLIC_URL", baseUrl());
        users = UserAdministration.open(ConsoleConfig.fromEnvironment(environment), kafka, "it-operator");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-GB");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        wait = new WebDriverWait(browser, PATIENCE);
        await().atMost(PATIENCE).until(console::caughtUp);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable closeable : new AutoCloseable[]{users, console, keys, kafka, prometheus}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void shouldEnrolWithTheQrCodesSecretSignInWithPasswordAndCodeAndLockOutAfterFiveFailures() throws Exception {
        // Given an operator invited an analyst (ngao users add)
        String username = "alice-" + run;
        Accounts.Invitation invitation = users.invite(username, Role.ANALYST, "analyst-" + run);

        // (which the console follows from console.users within a poll)
        await().atMost(PATIENCE).until(() -> enrolmentKnown(invitation));

        // When she opens the enrolment link
        browser.get(users.enrolmentLink(invitation));

        // Then the page shows her account, a QR code and the key as text, and takes the token out of the address
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("enrol-qr")));
        assertThat(browser.findElement(By.id("enrol-username")).getText()).isEqualTo(username);
        assertThat(browser.findElement(By.id("enrol-qr")).getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        wait.until(driver -> ((Number) ((JavascriptExecutor) driver)
                .executeScript("return document.getElementById('enrol-qr').naturalWidth")).intValue() > 0);
        assertThat(browser.getCurrentUrl()).doesNotContain(invitation.token()).doesNotContain("enrol=");
        byte[] secret = Base32.decode(browser.findElement(By.id("enrol-secret")).getText());
        assertThat(secret).hasSize(Totp.SECRET_BYTES);
        screenshot("console-enrolment");

        // When she chooses a password and types the code her authenticator shows
        type("enrol-password", PASSWORD);
        type("enrol-password-again", PASSWORD);
        type("enrol-code", Totp.code(secret, Instant.now()));
        browser.findElement(By.id("enrol-button")).click();

        // Then she is shown ten recovery codes, once, and goes on to sign in
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recovery-codes")));
        List<String> recoveryCodes = browser.findElements(By.cssSelector("#recovery-codes li")).stream()
                .map(WebElement::getText).toList();
        assertThat(recoveryCodes).hasSize(10).allMatch(code -> code.matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){3}"));
        browser.findElement(By.id("enrol-continue")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEqualTo(username);

        // When she signs in with her password and a wrong code
        signIn(username, PASSWORD, "000000");
        // Then she is refused, without being told which factor was wrong
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not accepted"));
        assertThat(browser.findElement(By.id("workspace")).isDisplayed()).isFalse();

        // When she signs in with her password and the authenticator's next code
        signIn(username, PASSWORD, Totp.code(secret, Instant.now().plusSeconds(Totp.STEP_SECONDS)));
        // Then she is in, as an analyst of the key's merchant, with a session cookie scripts cannot read
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace")));
        assertThat(browser.findElement(By.id("who-user")).getText()).isEqualTo(username);
        assertThat(browser.findElement(By.id("who-role")).getText()).isEqualTo("analyst");
        assertThat(browser.findElement(By.id("who-merchant")).getText()).isEqualTo("merchant-" + run);
        Cookie cookie = browser.manage().getCookieNamed(ConsoleHttpApi.COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        screenshot("console-signed-in");

        // When she signs out and back in with a recovery code in place of the app's code
        signOut();
        signIn(username, PASSWORD, recoveryCodes.get(0));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "9 left"));
        signOut();
        // Then that recovery code does not work twice
        signIn(username, PASSWORD, recoveryCodes.get(0));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not accepted"));

        // When four more sign-ins fail (five in a row with the one before)
        for (int attempt = 1; attempt <= 4; attempt++) {
            signIn(username, "not my password " + attempt, Totp.code(secret, Instant.now()));
            wait.until(driver -> !driver.findElement(By.id("sign-in-error")).getText().isEmpty());
        }
        // Then the account is locked, and her right password and a fresh code are refused too
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "locked"));
        signIn(username, PASSWORD, Totp.code(secret, Instant.now().plusSeconds(Totp.STEP_SECONDS)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "locked"));
        assertThat(browser.findElement(By.id("workspace")).isDisplayed()).isFalse();
        screenshot("console-locked");

        // And every step is on audit.console
        List<String> actions = await().atMost(PATIENCE).until(() -> ConsoleAudit.actions(kafka, username),
                found -> found.contains("sign-in.locked"));
        assertThat(actions).containsSubsequence("account.created", "enrolment.completed", "sign-in.failed",
                "sign-in.succeeded", "recovery-code.used", "sign-in.succeeded", "sign-in.failed", "account.locked",
                "sign-in.locked");
    }

    @Test
    void shouldShowASignedInPersonTheAlertsPrometheusHoldsAndSayWhenItCannotBeRead() throws Exception {
        // Given an analyst enrolled through the API, and Prometheus holding a firing and a pending Ngao alert
        String username = "bob-" + run;
        Accounts.Invitation invitation = users.invite(username, Role.ANALYST, "analyst-" + run);
        await().atMost(PATIENCE).until(() -> enrolmentKnown(invitation));
        byte[] secret = Base32.decode(new io.vertx.core.json.JsonObject(postJson("/api/enrolment",
                "{\"token\":\"" + invitation.token() + "\"}")).getString("secret"));
        postJson("/api/enrolment/complete", new io.vertx.core.json.JsonObject().put("token", invitation.token())
                .put("password", PASSWORD).put("code", Totp.code(secret, Instant.now())).encode());

        // When he signs in and opens the Alerts tab
        browser.get(baseUrl());
        signIn(username, PASSWORD, Totp.code(secret, Instant.now().plusSeconds(Totp.STEP_SECONDS)));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace")));
        browser.findElement(By.cssSelector("[data-tab=\"alerts\"]")).click();

        // Then the firing alert comes first, then the pending one, another system's not at all; the tab counts one
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-alert=\"NgaoProviderDown\"]")));
        assertThat(browser.findElements(By.cssSelector("#alerts tr")).stream()
                .map(row -> row.getAttribute("data-alert")).toList())
                .containsExactly("NgaoProviderDown", "NgaoConsumerLag");
        WebElement firing = browser.findElement(By.cssSelector("[data-alert=\"NgaoProviderDown\"]"));
        assertThat(firing.getText()).contains("FIRING", "critical", "mobile-money-hub is down",
                "docs/runbook.md#a-provider-down-or-misbehaving");
        assertThat(browser.findElement(By.id("alert-count")).getText()).isEqualTo("1");
        screenshot("console-alerts");

        // When Prometheus stops answering, the tab says so at its next refresh
        prometheus.answer(503, "{}");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts-status"), "answered 503"));
        assertThat(browser.findElement(By.id("alerts-table")).isDisplayed()).isFalse();
    }

    private String postJson(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isBetween(200, 201);
        return answer.body();
    }

    private void signIn(String username, String password, String code) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        ((JavascriptExecutor) browser)
                .executeScript("document.getElementById('sign-in-error').textContent = ''");
        field.clear();
        field.sendKeys(username);
        type("password", password);
        type("code", code);
        browser.findElement(By.id("sign-in-button")).click();
    }

    private void signOut() {
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
    }

    private void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** Whether the console knows the invitation's account yet (asking shows the same secret the page will). */
    private boolean enrolmentKnown(Accounts.Invitation invitation) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/enrolment"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + invitation.token() + "\"}")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + console.httpPort();
    }

    /** Under target/console-screenshots; the README's come from launcher's ConsoleBrowserIT. */
    private void screenshot(String name) throws Exception {
        Path directory = Files.createDirectories(Path.of("target", "console-screenshots"));
        Files.write(directory.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
