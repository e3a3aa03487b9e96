package dev.ngao.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An Avro record as plain JSON for people: field names as in the schema, unions unwrapped, timestamps as UTC
 * ISO-8601 text, enums by name, bytes in base64. Avro's own {@code JsonEncoder} wraps every union value in an
 * object named by its branch ({@code {"string": "x"}}), which is right for a machine and noise for an analyst,
 * hence this small walk of the schema.
 *
 * <p>A field whose schema doc declares it personal data ({@code PII:}, e.g. a wallet's MSISDN, which ingest
 * must carry to instruct the provider) is left out; its masked sibling ({@code msisdnMasked}) shows instead.
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How the contracts mark a field that holds personal data in clear. */
    private static final Pattern PERSONAL_DATA = Pattern.compile("\\bPII:");

    private AvroJson() {
    }

    /** Any value a Ngao topic carries (Avro record, string, bytes) as JSON; null stays null. */
    public static JsonNode toJson(Object value) {
        if (value instanceof IndexedRecord record) {
            return record(record);
        }
        return plain(value);
    }

    static boolean isPersonal(Schema.Field field) {
        return field.doc() != null && PERSONAL_DATA.matcher(field.doc()).find();
    }

    private static ObjectNode record(IndexedRecord record) {
        ObjectNode json = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            if (!isPersonal(field)) {
                json.set(field.name(), plain(record.get(field.pos())));
            }
        }
        return json;
    }

    private static JsonNode plain(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof IndexedRecord record) {
            return record(record);
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>
                || value instanceof Instant || value instanceof LocalDate) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Double || value instanceof Float) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof ByteBuffer buffer) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes(buffer)));
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof GenericFixed fixed) {
            return NODES.textNode(Base64.getEncoder().encodeToString(fixed.bytes()));
        }
        if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(plain(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, item) -> object.set(String.valueOf(key), plain(item)));
            return object;
        }
        return NODES.textNode(value.toString());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
