package dev.ngao.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.console.ConsoleConfig;
import dev.ngao.console.account.Base32;
import dev.ngao.console.account.Totp;
import dev.ngao.events.BreakKind;
import dev.ngao.events.ReviewResolution;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.providers.ProviderKind;
import dev.ngao.reconciler.report.RunSummary;
import dev.ngao.sandbox.provider.InjectionLog;
import dev.ngao.sandbox.provider.Misbehaviour;
import dev.ngao.sandbox.provider.SettlementReports;
import dev.ngao.sandbox.provider.SimulatedProvider;
import dev.ngao.platform.testing.TopicReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ngao.launcher.NgaoClient.body;
import static dev.ngao.launcher.NgaoClient.post;
import static dev.ngao.launcher.NgaoClient.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The analyst console end to end in headless Chromium (Debian's chromium and chromedriver, which .ci/run
 * installs; skipped where they are absent): a whole embedded Ngao with a rule set that sends large payments to
 * review, an analyst given an account linked to the demo analyst key (ngao users add) who enrols through its link
 * and signs in with password and authenticator code, approves one review and declines another from the page, and sees the final decisions, a day's reconciliation breaks and the providers' health. Screenshots of
 * each view go to target/console-screenshots, and to the directory named by -Dngao.screenshots.dir (the README's
 * are made so, into docs/).
 */
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PASSWORD = "reviews all day long";
    /** Payments above 5,000 KES go to review, above 50,000 KES are declined; the rest is approved. */
    private static final String RULE_SET = """
            {"merchantId": "merchant-demo", "version": "console-demo-1", "rules": [
              {"id": "amount-positive", "type": "amount-positive", "parameters": {}, "action": "BLOCK", "mode": "ENFORCE"},
              {"id": "per-transaction-limit", "type": "limit",
               "parameters": {"interval": "PER_TRANSACTION", "limits": {"KES": 5000000}}, "action": "BLOCK", "mode": "ENFORCE"},
              {"id": "large-payment-review", "type": "limit",
               "parameters": {"interval": "PER_TRANSACTION", "limits": {"KES": 500000}}, "action": "REVIEW", "mode": "ENFORCE"}
            ]}""";

    @TempDir
    Path dataDirectory;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Debian's chromium and chromium-driver are installed (.ci/run installs them)").isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,900", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, PATIENCE);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldLetAnAnalystResolveReviewsAndReadDecisionsBreaksAndProviderHealthInTheBrowser() throws Exception {
        try (EmbeddedNgao ngao = new EmbeddedNgao(config(), environment())) {
            // Given an embedded Ngao whose demo merchant's rule set sends large payments to review
            ngao.start();
            publishRuleSet(ngao);
            List<String> reviews = awaitReviews(ngao, 2);
            String declined = post(ngao, body("MOBILE_MONEY_COLLECTION", "60000.00", "+254711000099"));
            // and a settled day whose provider report disagrees with the ledger on every amount
            int breaks = reconcileADisagreeingReport(ngao);

            // When an operator gives an analyst an account linked to the demo analyst key (ngao users add)
            // and the analyst enrols through its link, her authenticator holding the key the page shows
            byte[] authenticator = enrol(ngao, "ana");
            // and first mistypes the code
            signIn("ana", "000000");
            // Then the page says so and stays on the sign-in form
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not accepted"));
            assertThat(browser.findElement(By.id("workspace")).isDisplayed()).isFalse();

            // When she signs in with her password and the authenticator's next code
            signIn("ana", Totp.code(authenticator, Instant.now().plusSeconds(Totp.STEP_SECONDS)));

            // Then the review queue lists both reviews with the rule that sent them there
            wait.until(driver -> rows("reviews").size() == 2);
            assertThat(browser.findElement(By.id("who-merchant")).getText()).isEqualTo(ngao.demoMerchantId());
            assertThat(browser.findElement(By.id("review-count")).getText()).isEqualTo("2");
            WebElement first = row("reviews", reviews.get(0));
            assertThat(first.getText()).contains("large-payment-review").contains("console-demo-1")
                    .contains("10000.00 KES");
            screenshot("console-review-queue");

            // When the analyst approves the first with a note and declines the second
            first.findElement(By.cssSelector("input.note")).sendKeys("customer confirmed by phone");
            first.findElement(By.cssSelector("button.approve")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Approved"));
            row("reviews", reviews.get(1)).findElement(By.cssSelector("button.decline")).click();

            // Then both leave the queue once risk-streams made them final decisions, and ingest says so
            wait.until(driver -> rows("reviews").isEmpty());
            assertThat(browser.findElement(By.id("reviews-empty")).isDisplayed()).isTrue();
            assertThat(status(ngao, reviews.get(0)).path("status").asText()).isEqualTo("APPROVED");
            assertThat(status(ngao, reviews.get(0)).path("review").path("outcome").asText()).isEqualTo("APPROVE");
            // And the resolution on risk.reviews carries the note and the key of the analyst's account
            ReviewResolution resolution = resolutionOf(ngao, reviews.get(0));
            assertThat(resolution.getNote()).isEqualTo("customer confirmed by phone");
            assertThat(resolution.getAnalystKeyId()).isEqualTo(ngao.demoAnalystKeyId());
            assertThat(status(ngao, reviews.get(1)).path("status").asText()).isEqualTo("DECLINED");

            // And the decisions view shows the analyst's resolutions beside risk's own decisions
            tab("decisions");
            wait.until(driver -> rows("decisions").size() >= 5);
            assertThat(row("decisions", reviews.get(0)).getText()).contains("analyst resolution").contains("APPROVE");
            assertThat(row("decisions", declined).getText()).contains("DECLINE").contains("per-transaction-limit");
            screenshot("console-decisions");

            // And the breaks view shows the day's amount mismatches
            tab("breaks");
            wait.until(driver -> rows("breaks").size() >= breaks);
            assertThat(browser.findElement(By.id("breaks")).getText()).contains("AMOUNT_MISMATCH")
                    // the approved review's posting matched its analyst's approval, not the review before it
                    .doesNotContain("POSTED_NOT_APPROVED");
            screenshot("console-breaks");

            // And the provider health view shows each sandbox provider up
            tab("providers");
            wait.until(driver -> browser.findElements(By.cssSelector("#providers .card")).size()
                    == ProviderKind.values().length);
            for (ProviderKind kind : ProviderKind.values()) {
                assertThat(browser.findElement(By.cssSelector("[data-provider='" + kind.id() + "']")).getText())
                        .contains("UP");
            }
            screenshot("console-provider-health");

            // And an emergency stop an operator sets shows on the page, whatever the tab, until it is lifted
            String stopPath = "/v1/emergency-stops/PROVIDER/" + ProviderKind.PAGOEFECTIVO.id();
            assertThat(NgaoClient.emergencyStops(ngao, "PUT", stopPath,
                    "{\"traffic\":\"PAYOUTS\",\"reason\":\"Provider misbehaving\"}").statusCode()).isEqualTo(200);
            By stop = By.cssSelector("[data-stop='PROVIDER|pagoefectivo|PAYOUTS']");
            wait.until(ExpectedConditions.visibilityOfElementLocated(stop));
            assertThat(browser.findElement(stop).getText()).contains("Payouts").contains("pagoefectivo")
                    .contains("Provider misbehaving");
            screenshot("console-emergency-stop");
            assertThat(NgaoClient.emergencyStops(ngao, "DELETE", stopPath + "?traffic=PAYOUTS", "").statusCode())
                    .isEqualTo(200);
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("stops")));

            // When the analyst signs out, the page asks her to sign in again
            browser.findElement(By.id("sign-out")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
            browser.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        }
    }

    /**
     * Makes {@code username} an analyst account of the demo analyst key as an operator does, then enrols it in the
     * browser through the printed link; returns the secret the authenticator would hold.
     */
    private byte[] enrol(EmbeddedNgao ngao, String username) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("NGAO_KAFKA_BOOTSTRAP_SERVERS", ngao.bootstrapServers());
        environment.put(EnvironmentConfig.variableName(LauncherConfig.DATA_DIR), dataDirectory.toString());
        environment.put(EnvironmentConfig.variableName(ConsoleConfig.PUBLIC_URL), ngao.consoleBaseUrl());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        UsersCommand.run(List.of("add", "--username", username, "--role", "analyst", "--key", ngao.demoAnalystKeyId()),
                environment, new PrintStream(printed, true, StandardCharsets.UTF_8));
        Matcher link = Pattern.compile("(?m)^  (http\\S+#enrol=\\S+)$").matcher(printed.toString(StandardCharsets.UTF_8));
        assertThat(link.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
        // The console follows console.users: the account reaches it within a poll.
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> {
            browser.get(link.group(1));
            return wait.until(driver -> driver.findElement(By.id("enrol-qr")).isDisplayed()
                    || !driver.findElement(By.id("enrol-error")).getText().isEmpty());
        });
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("enrol-qr")));
        byte[] secret = Base32.decode(browser.findElement(By.id("enrol-secret")).getText());
        screenshot("console-enrolment");
        for (String field : List.of("enrol-password", "enrol-password-again")) {
            browser.findElement(By.id(field)).sendKeys(PASSWORD);
        }
        browser.findElement(By.id("enrol-code")).sendKeys(Totp.code(secret, Instant.now()));
        browser.findElement(By.id("enrol-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recovery-codes")));
        browser.findElement(By.id("enrol-continue")).click();
        return secret;
    }

    private void signIn(String username, String code) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        field.clear();
        field.sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("code")).sendKeys(code);
        browser.findElement(By.id("sign-in-button")).click();
    }

    private void tab(String name) {
        browser.findElement(By.cssSelector("nav [data-tab='" + name + "']")).click();
    }

    private List<WebElement> rows(String table) {
        return browser.findElements(By.cssSelector("#" + table + " tr"));
    }

    private WebElement row(String table, String transactionId) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#" + table + " tr[data-transaction='" + transactionId + "']")));
    }

    private void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        List<Path> directories = new ArrayList<>(List.of(Path.of("target", "console-screenshots")));
        String wanted = System.getProperty("ngao.screenshots.dir");
        if (wanted != null && !wanted.isBlank()) {
            directories.add(Path.of(wanted));
        }
        for (Path directory : directories) {
            Files.createDirectories(directory);
            Files.write(directory.resolve(name + ".png"), png);
        }
    }

    /** A rules:admin key made the way an operator makes one (ngao keys create), and the rule set sent with it. */
    private void publishRuleSet(EmbeddedNgao ngao) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("NGAO_KAFKA_BOOTSTRAP_SERVERS", ngao.bootstrapServers());
        environment.put(EnvironmentConfig.variableName(LauncherConfig.DATA_DIR), dataDirectory.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        KeysCommand.run(List.of("create", "--key-id", "rules-admin", "--merchant", ngao.demoMerchantId(),
                "--scopes", "rules:admin", "--allow", "127.0.0.1/32"), environment,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        Matcher secret = Pattern.compile("(?m)^  (\\S{32,})$")
                .matcher(printed.toString(StandardCharsets.UTF_8));
        assertThat(secret.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
        RequestSigner signer = new RequestSigner("rules-admin", secret.group(1));
        URI uri = URI.create(ngao.ingestBaseUrl() + "/v1/rule-sets");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> answer = HTTP.send(signer.sign("POST", uri, RULE_SET)
                    .applyTo(HttpRequest.newBuilder(uri)).header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(RULE_SET)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isIn(201, 202);
        });
    }

    /** Posts 10,000 KES payments until {@code count} went to review (the first may predate the new rule set). */
    private static List<String> awaitReviews(EmbeddedNgao ngao, int count) throws Exception {
        List<String> inReview = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int attempt = 0;
        while (inReview.size() < count) {
            assertThat(System.nanoTime()).as("payments sent to review in time").isLessThan(deadline);
            String transactionId = post(ngao, body("MOBILE_MONEY_COLLECTION", "10000.00", "+25471100000" + attempt++));
            String state = await().atMost(PATIENCE).until(() -> status(ngao, transactionId).path("status").asText(),
                    text -> !text.equals("PENDING"));
            if (state.equals("IN_REVIEW")) {
                inReview.add(transactionId);
            }
        }
        return inReview;
    }

    /** Two small payments settled by the hub, then its report of the day with every amount changed. */
    private int reconcileADisagreeingReport(EmbeddedNgao ngao) throws Exception {
        List<String> settled = List.of(post(ngao, body("MOBILE_MONEY_COLLECTION", "120.00", "+254711000201")),
                post(ngao, body("MOBILE_MONEY_COLLECTION", "340.00", "+254711000202")));
        for (String transactionId : settled) {
            await().atMost(PATIENCE).until(() -> stage(ngao, transactionId), stage -> stage.equals("SETTLED"));
        }
        SimulatedProvider hub = ngao.sandbox().provider(ProviderKind.MOBILE_MONEY_HUB);
        LocalDate day = LocalDate.now(ProviderKind.MOBILE_MONEY_HUB.settlementZone());
        SettlementReports.Report report = SettlementReports.build(hub, day,
                Misbehaviour.none(11).withReport(0, 0, 0, 100, 0, 0), new InjectionLog());
        Path file = SettlementReports.writeFile(report, Files.createTempDirectory(dataDirectory, "report"));
        RunSummary run = ngao.reconciler().reconcileFile(report.kind().id(), report.day(), file);
        assertThat(run.breaksByKind().getOrDefault(BreakKind.AMOUNT_MISMATCH, 0L)).isGreaterThanOrEqualTo(settled.size());
        return (int) run.totalBreaks();
    }

    private static ReviewResolution resolutionOf(EmbeddedNgao ngao, String transactionId) {
        try (KafkaContext kafka = KafkaContext.connect(ngao.kafkaSettings());
             TopicReader<String, ReviewResolution> reader =
                     TopicReader.fromBeginning(kafka, Topics.RISK_REVIEWS).within(PATIENCE)) {
            List<ConsumerRecord<String, ReviewResolution>> read =
                    new ArrayList<>(reader.readUntil(record -> record.key().equals(transactionId), 1));
            read.addAll(reader.readToEnd());
            List<ReviewResolution> found = read.stream().filter(record -> record.key().equals(transactionId))
                    .map(ConsumerRecord::value).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    /** The ledger's lifecycle stage of a transaction, empty until the ledger has seen it. */
    private static String stage(EmbeddedNgao ngao, String transactionId) throws Exception {
        HttpResponse<String> answer = HTTP.send(NgaoClient.operator(ngao, ngao.ledgerBaseUrl()
                + "/v1/lifecycles/" + transactionId).GET().build(), HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("stage").asText() : "";
    }

    private LauncherConfig config() {
        Map<String, String> settings = new HashMap<>();
        settings.put(LauncherConfig.DATA_DIR, dataDirectory.toString());
        settings.put(LauncherConfig.EMBEDDED_KAFKA_PORT, Integer.toString(EmbeddedKafkaBroker.freePort()));
        settings.put(LauncherConfig.EMBEDDED_CONTROLLER_PORT, Integer.toString(EmbeddedKafkaBroker.freePort()));
        return new LauncherConfig(settings);
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        for (String service : List.of("INGEST", "LEDGER", "RECONCILER", "RISK", "NOTIFIER", "CONSOLE", "SANDBOX")) {
            environment.put("NGAO_" + service + "_HTTP_PORT", "0");
        }
        environment.put("NGAO_SANDBOX_SETTLE_DELAY_MS", "300");
        environment.put("NGAO_SANDBOX_SUCCESS_PERCENT", "100");
        return environment;
    }
}
