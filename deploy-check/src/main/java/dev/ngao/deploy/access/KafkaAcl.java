package dev.ngao.deploy.access;

import java.util.List;
import java.util.Objects;

/**
 * One allow rule of a principal: operations on a resource, named literally or by prefix. The operation and
 * resource names are Kafka's (kafka-acls, Strimzi's KafkaUser).
 */
public record KafkaAcl(ResourceType resourceType, String name, boolean prefixed, List<String> operations) {

    /** The resource kinds an Ngao service is granted access to. */
    public enum ResourceType {
        TOPIC("topic", "--topic"),
        GROUP("group", "--group"),
        TRANSACTIONAL_ID("transactionalId", "--transactional-id"),
        CLUSTER("cluster", "--cluster");

        /** The name in a Strimzi KafkaUser's {@code spec.authorization.acls[].resource.type}. */
        public final String strimziName;
        /** The kafka-acls option naming a resource of this kind. */
        public final String cliOption;

        ResourceType(String strimziName, String cliOption) {
            this.strimziName = strimziName;
            this.cliOption = cliOption;
        }
    }

    public KafkaAcl {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(name, "name");
        operations = List.copyOf(operations);
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("an ACL without operations grants nothing: " + resourceType + " " + name);
        }
    }

    static KafkaAcl topic(String name, String... operations) {
        return new KafkaAcl(ResourceType.TOPIC, name, false, List.of(operations));
    }

    static KafkaAcl topicPrefix(String prefix, String... operations) {
        return new KafkaAcl(ResourceType.TOPIC, prefix, true, List.of(operations));
    }

    static KafkaAcl groupPrefix(String prefix, String... operations) {
        return new KafkaAcl(ResourceType.GROUP, prefix, true, List.of(operations));
    }

    static KafkaAcl transactionalIdPrefix(String prefix, String... operations) {
        return new KafkaAcl(ResourceType.TRANSACTIONAL_ID, prefix, true, List.of(operations));
    }

    static KafkaAcl cluster(String... operations) {
        return new KafkaAcl(ResourceType.CLUSTER, "kafka-cluster", false, List.of(operations));
    }
}
