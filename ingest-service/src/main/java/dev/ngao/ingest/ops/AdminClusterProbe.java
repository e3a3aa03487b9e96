package dev.ngao.ingest.ops;

import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Kafka is reachable when describeCluster answers with at least one broker within the timeout. */
public final class AdminClusterProbe implements ClusterProbe, AutoCloseable {

    private final Admin admin;
    private final Duration timeout;

    public AdminClusterProbe(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** An admin client of its own, whose calls give up within {@code timeout} instead of the default minute. */
    public static AdminClusterProbe connect(KafkaSettings settings, String clientId, Duration timeout) {
        Map<String, Object> config = KafkaClients.admin(settings, clientId);
        int timeoutMs = (int) timeout.toMillis();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        return new AdminClusterProbe(Admin.create(config), timeout);
    }

    @Override
    public boolean reachable() throws Exception {
        return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes()
                .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                .isEmpty();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
