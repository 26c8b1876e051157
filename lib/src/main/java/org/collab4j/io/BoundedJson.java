package org.collab4j.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict JSON for model files, bounded so that no text can exhaust the stack, the heap or the CPU: nesting deeper
 * than {@link #MAX_DEPTH} and numbers longer than {@link #MAX_NUMBER} characters are refused (Gson's own tree
 * parser recurses once per level, and turning {@code 1e999999999} into an int expands it digit by digit). Numbers
 * are read back only through {@link #intValue}, {@link #longValue} and {@link #doubleValue}, which parse the text
 * without expanding it. Failures are {@link IllegalArgumentException}s that say where.
 */
final class BoundedJson {

    /** The deepest nesting a model file's JSON has is 3; this leaves room for additions. */
    static final int MAX_DEPTH = 32;
    /** A double's shortest round-trip text is at most 24 characters. */
    static final int MAX_NUMBER = 64;

    private BoundedJson() {}

    /**
     * Parses one JSON value that must be the whole text.
     *
     * @param text the text
     * @return the value
     * @throws IllegalArgumentException if the text is not strict JSON or exceeds the bounds
     */
    static JsonElement parse(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            JsonElement value = read(reader, 0);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("it has more after the JSON value, at " + where(reader));
            }
            return value;
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException("it is not valid JSON (" + parserProblem(e) + ")", e);
        }
    }

    /**
     * Parses a JSON array of strings straight into a list, without building a tree.
     *
     * @param text the text
     * @return the strings
     * @throws IllegalArgumentException if the text is not an array of strings
     */
    static List<String> stringArray(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            List<String> values = new ArrayList<>();
            reader.beginArray();
            while (reader.hasNext()) {
                if (reader.peek() != JsonToken.STRING) {
                    throw new IllegalArgumentException("element " + values.size() + " is " + reader.peek()
                            + ", not a string");
                }
                values.add(reader.nextString());
            }
            reader.endArray();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("it has more after the array, at " + where(reader));
            }
            return values;
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException("it is not a JSON array of strings (" + parserProblem(e) + ")", e);
        }
    }

    /**
     * The parser's words without its advice to its own callers ("Use JsonReader.setLenient(true) to accept
     * malformed JSON", a troubleshooting link): a user cannot act on them, and lenient parsing is never right here.
     */
    static String parserProblem(Exception e) {
        return String.valueOf(e.getMessage())
                .replaceAll("\\s*Use JsonReader\\.setLenient\\(true\\) to accept malformed JSON", "")
                .replaceAll("\\s*See https?://\\S+", "")
                .trim();
    }

    private static JsonElement read(JsonReader reader, int depth) throws IOException {
        JsonToken token = reader.peek();
        switch (token) {
            case BEGIN_ARRAY, BEGIN_OBJECT -> {
                if (depth >= MAX_DEPTH) {
                    throw new IllegalArgumentException("its JSON is nested deeper than " + MAX_DEPTH
                            + " levels, at " + where(reader));
                }
                if (token == JsonToken.BEGIN_ARRAY) {
                    JsonArray array = new JsonArray();
                    reader.beginArray();
                    while (reader.hasNext()) {
                        array.add(read(reader, depth + 1));
                    }
                    reader.endArray();
                    return array;
                }
                JsonObject object = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (object.has(name)) {
                        throw new IllegalArgumentException("the field '" + name + "' appears twice, at "
                                + where(reader));
                    }
                    object.add(name, read(reader, depth + 1));
                }
                reader.endObject();
                return object;
            }
            case STRING -> {
                return new JsonPrimitive(reader.nextString());
            }
            case NUMBER -> {
                String number = reader.nextString();
                if (number.length() > MAX_NUMBER) {
                    throw new IllegalArgumentException("a number of " + number.length() + " characters, at "
                            + where(reader));
                }
                return new JsonPrimitive(new BigDecimal(number));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new IllegalArgumentException("unexpected " + token + " at " + where(reader));
        }
    }

    private static String where(JsonReader reader) {
        return reader.getPath();
    }

    /** A number's text as it was written: BigDecimal's own, which never expands an exponent. */
    private static String numberText(JsonElement e, String what) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(what + " must be a number, not " + e);
        }
        return e.getAsJsonPrimitive().getAsBigDecimal().toString();
    }

    /**
     * Reads an integer that must fit an {@code int}.
     *
     * @param e the element
     * @param what its name, for the message
     * @return the value
     */
    static int intValue(JsonElement e, String what) {
        String text = numberText(e, what);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(what + " is " + text + ", not an integer between "
                    + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE, x);
        }
    }

    /**
     * Reads an integer that must fit a {@code long}.
     *
     * @param e the element
     * @param what its name, for the message
     * @return the value
     */
    static long longValue(JsonElement e, String what) {
        String text = numberText(e, what);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(what + " is " + text + ", not a 64-bit integer", x);
        }
    }

    /**
     * Reads a finite number.
     *
     * @param e the element
     * @param what its name, for the message
     * @return the value
     */
    static double doubleValue(JsonElement e, String what) {
        double value = Double.parseDouble(numberText(e, what));
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " is " + numberText(e, what) + ", beyond a double's range");
        }
        return value;
    }
}
