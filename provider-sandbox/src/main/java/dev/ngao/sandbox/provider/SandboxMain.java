package dev.ngao.sandbox.provider;

import dev.ngao.platform.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulated providers as a process of their own (configured by {@code NGAO_SANDBOX_*} variables):
 * listens, sends webhooks to the ingest service, and writes each day's settlement reports once the day has
 * ended. Stops on SIGTERM.
 */
public final class SandboxMain {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxMain.class);
    private static final Duration REPORT_CHECK = Duration.ofMinutes(1);

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxConfig config;
        try {
            config = SandboxConfig.fromEnvironment(System.getenv());
        } catch (InvalidConfigurationException e) {
            LOG.error("Cannot start the provider sandbox: {}", e.getMessage());
            System.exit(2);
            return;
        }
        ProviderSandbox sandbox = ProviderSandbox.create(config);
        sandbox.start();
        sandbox.startDailyReports(REPORT_CHECK);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        stopped.await();
    }
}
