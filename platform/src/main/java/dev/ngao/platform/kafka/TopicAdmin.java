package dev.ngao.platform.kafka;

import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates topics from their definitions when they are missing. */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long TIMEOUT_SECONDS = 60;
    private static final long RETRY_BACKOFF_MS = 50;

    private TopicAdmin() {
    }

    /**
     * Creates every topic of {@code topics} that the cluster lacks. A replication factor of -1 takes
     * the broker's default. Topics that exist are left as they are.
     */
    public static void ensureTopics(Admin admin, Collection<Topic<?, ?>> topics, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Optional<Short> replication = replicationFactor < 1 ? Optional.empty() : Optional.of(replicationFactor);
            List<NewTopic> missing = topics.stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> new NewTopic(topic.name(), Optional.of(topic.partitions()), replication)
                            .configs(topic.kafkaConfigs()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LOG.info("Created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    // Another process creating the same topic at the same moment is not an error.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics: " + e.getMessage(), e);
        }
    }

    /**
     * Returns once every partition of {@code topicNames} is served by its leader: each answers a list-offsets
     * request, which only the partition's leader answers (the admin client retries {@code NOT_LEADER_OR_FOLLOWER}
     * within its API timeout). A topic is created before its leaders have taken it up; an idempotent producer
     * writing in that moment was seen answered {@code NOT_LEADER_OR_FOLLOWER} and then, on its retry,
     * {@code OutOfOrderSequenceException} on every attempt until its delivery timeout (a CI run of LogFollowerIT,
     * Kafka 4.3.1, single broker).
     */
    public static void awaitLeaders(Admin admin, Collection<String> topicNames)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topicNames.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                partitionsOf(admin, topicNames).forEach(partition -> partitions.put(partition, OffsetSpec.latest()));
                admin.listOffsets(partitions).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                // A topic just created may be unknown to the broker answering, or without its leader, for a moment.
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(RETRY_BACKOFF_MS);
            }
        }
    }

    /** Every partition of {@code topicNames}, as the cluster describes them now. */
    public static List<TopicPartition> partitionsOf(Admin admin, Collection<String> topicNames)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(topicNames).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((name, description) -> description.partitions()
                        .forEach(partition -> partitions.add(new TopicPartition(name, partition.partition()))));
        return partitions;
    }
}
