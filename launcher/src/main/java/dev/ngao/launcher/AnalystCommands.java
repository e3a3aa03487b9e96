package dev.ngao.launcher;

import dev.ngao.launcher.cli.ExplainCommand;
import dev.ngao.launcher.cli.TailCommand;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ngao tail} and {@code ngao explain} against the cluster the environment names
 * (NGAO_KAFKA_BOOTSTRAP_SERVERS, NGAO_SCHEMA_REGISTRY_URL; the defaults reach a running embedded Ngao).
 */
final class AnalystCommands {

    private AnalystCommands() {
    }

    static void tail(List<String> arguments, Map<String, String> environment, PrintStream out) {
        TailCommand.Request request = TailCommand.parse(arguments);
        AtomicBoolean stopped = new AtomicBoolean();
        // Ctrl-C ends a --follow cleanly: the scan sees the flag between polls and closes its consumer.
        Thread reader = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.set(true);
            joinQuietly(reader);
        }, "ngao-tail-stop"));
        try (KafkaContext kafka = KafkaContext.connect(settings(environment))) {
            TailCommand.run(request, kafka, stopped::get, out);
        }
    }

    static int explain(List<String> arguments, Map<String, String> environment, PrintStream out) {
        ExplainCommand.Request request = ExplainCommand.parse(arguments);
        try (KafkaContext kafka = KafkaContext.connect(settings(environment))) {
            return ExplainCommand.run(request, kafka, out);
        }
    }

    private static KafkaSettings settings(Map<String, String> environment) {
        return EnvironmentConfig.load(KafkaSettings.DEFINITION, environment, KafkaSettings::new);
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
