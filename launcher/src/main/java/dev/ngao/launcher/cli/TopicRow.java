package dev.ngao.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One record of a topic, decoded for people.
 *
 * @param topic     topic name
 * @param partition partition
 * @param offset    offset in the partition
 * @param timestamp the record's timestamp, UTC
 * @param key       the key as text (base64 for bytes), or null
 * @param value     the value as JSON ({@link AvroJson}); a JSON null for a tombstone
 */
public record TopicRow(String topic, int partition, long offset, Instant timestamp, String key, JsonNode value) {

    /** The field {@code name} of the value as text, or null when absent. */
    public String field(String name) {
        JsonNode field = value.path(name);
        return field.isValueNode() && !field.isNull() ? field.asText() : null;
    }

    /** One JSON line: where the record is, its key, and its value. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("topic", topic);
        json.put("partition", partition);
        json.put("offset", offset);
        json.put("timestamp", timestamp.toString());
        json.put("key", key);
        json.set("value", value);
        return json;
    }
}
