package io.github.migrationsafety.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain Java objects, read and written with jackson-core's streaming API: an object is a
 * {@code LinkedHashMap<String, Object>} (key order kept), an array a {@code List}, a JSON null Java's
 * {@code null}, a string a {@code String}, a boolean a {@code Boolean}, an integer an {@code Integer},
 * {@code Long} or {@code BigInteger} as its size needs, and any other number a {@code Double}.
 *
 * <p>Every goal runs in a fresh Maven JVM, where Jackson's data binding (its {@code ObjectMapper}, about
 * 400 classes) takes its class loading and warm-up on every run: a cold {@code ObjectMapper} read and write
 * took 240-485 ms in plain {@code java}, the streaming API 41-55 ms, and the {@code sidecars} goal's wall time
 * dropped by 0.1-0.3 s (medians) without it. Reports, manifests and sidecars need no more than this. Written
 * text is the same as the data binding's {@code INDENT_OUTPUT}: both use jackson-core's default pretty printer.
 */
public final class Json {

    /** Plain JSON, for reports and backup manifests. */
    public static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    /** {@code value} as indented JSON text, without a trailing newline. */
    public static String pretty(Object value) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.useDefaultPrettyPrinter();
            write(generator, value);
        }
        return out.toString();
    }

    /**
     * Writes maps (keys as text), collections, strings, numbers, booleans, enums (by name) and null; anything
     * else is a programming error, refused rather than written as its {@code toString()}.
     */
    public static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double number) {
            generator.writeNumber(number);
        } else if (value instanceof Float number) {
            generator.writeNumber(number);
        } else if (value instanceof BigInteger big) {
            generator.writeNumber(big);
        } else if (value instanceof BigDecimal decimal) {
            generator.writeNumber(decimal);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Enum<?> constant) {
            generator.writeString(constant.name());
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof Collection<?> items) {
            generator.writeStartArray();
            for (Object item : items) {
                write(generator, item);
            }
            generator.writeEndArray();
        } else {
            throw new IllegalArgumentException(
                    "no JSON form for " + value.getClass().getName());
        }
    }

    /**
     * The value starting at the parser's next token; {@code parser} must not be positioned on a value yet.
     * Throws {@link EOFException} when the input has no value at all.
     */
    public static Object readValue(JsonParser parser) throws IOException {
        if (parser.nextToken() == null) {
            throw new EOFException("no JSON value");
        }
        return current(parser);
    }

    /** The value at the parser's current token, consuming it (and for a container, everything up to its end). */
    public static Object current(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, current(parser));
                }
                return object;
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(current(parser));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalStateException("unexpected " + token + " at " + parser.currentTokenLocation());
        }
    }

    /** A JSON file that must hold one object, e.g. a report. */
    public static Map<String, Object> readObject(Path file) throws IOException {
        try (JsonParser parser = FACTORY.createParser(Files.readAllBytes(file))) {
            Object value = readValue(parser);
            if (!(value instanceof Map<?, ?>)) {
                throw new IOException("not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) value;
            return object;
        }
    }

    /** {@code object.get(key)} when it is an object, else an empty one: a path into a report that may lack it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> object, String key) {
        return object.get(key) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** {@code object.get(key)} when it is an array, else an empty one. */
    public static List<?> array(Map<String, Object> object, String key) {
        return object.get(key) instanceof List<?> list ? list : List.of();
    }

    /**
     * A scalar as text (a string as it is, a number or boolean as JSON spells it); {@code fallback} for a
     * missing key, null or a container.
     */
    public static String text(Map<String, Object> object, String key, String fallback) {
        Object value = object.get(key);
        return value instanceof String || value instanceof Number || value instanceof Boolean
                ? value.toString()
                : fallback;
    }
}
