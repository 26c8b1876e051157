package org.collab4j.util;

import java.util.List;
import java.util.Locale;

/**
 * Formats values taken from files or callers (ids, fields, headers) for error messages: quoted, cut to a length,
 * with control characters, escape sequences and line breaks written as escapes, so that a 10 MB field gives a
 * short message and a file cannot move the cursor or recolour the terminal that shows it. Every message that
 * echoes content goes through here.
 */
public final class Shown {

    /** The default number of characters shown of one value. */
    public static final int MAX_CHARS = 40;
    /** The default number of list elements shown. */
    public static final int MAX_ELEMENTS = 10;

    private Shown() {}

    /**
     * Quotes a value, cut to {@link #MAX_CHARS} characters: {@code "four"}, {@code "a\u001b[31m..."} becomes
     * {@code "a\u001B[31m"}, an empty value {@code an empty value}.
     *
     * @param text the value, may be null
     * @return the value for a message
     */
    public static String quoted(String text) {
        return quoted(text, MAX_CHARS);
    }

    /**
     * Quotes a value, cut to {@code max} characters; a cut value ends in {@code ...(N characters)}.
     *
     * @param text the value, may be null
     * @param max the most characters of the value to show, at least 1
     * @return the value for a message
     */
    public static String quoted(String text, int max) {
        if (text == null) {
            return "null";
        }
        if (text.isEmpty()) {
            return "an empty value";
        }
        return "\"" + plain(text, max) + "\"";
    }

    /**
     * Shows a value without quotes, cut to {@code max} characters and with control characters escaped, for text
     * that a message already puts in quotes.
     *
     * @param text the value, may be null
     * @param max the most characters of the value to show, at least 1
     * @return the value for a message
     */
    public static String plain(String text, int max) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), Math.max(1, max));
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        StringBuilder out = new StringBuilder(Math.min(end, max) + 24);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF'
                            || Character.getType(c) == Character.FORMAT && c != '\u200D') {
                        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (end < text.length()) {
            out.append("...(").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /**
     * Shows a list such as a header: at most {@link #MAX_ELEMENTS} elements, each cut to {@link #MAX_CHARS}
     * characters and escaped, e.g. {@code [user, movieId, rating, ... 9,997 more]}.
     *
     * @param values the elements
     * @return the list for a message
     */
    public static String list(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        int shown = Math.min(values.size(), MAX_ELEMENTS);
        for (int n = 0; n < shown; n++) {
            out.append(n > 0 ? ", " : "").append(plain(values.get(n), MAX_CHARS));
        }
        if (values.size() > shown) {
            out.append(", ... ").append(values.size() - shown).append(" more");
        }
        return out.append(']').toString();
    }

    /**
     * Makes any message one line: line breaks and other control characters become escapes, and the whole is cut
     * to {@code max} characters.
     *
     * @param message the message, may be null
     * @param max the most characters to keep
     * @return the message on one line
     */
    public static String oneLine(String message, int max) {
        return message == null ? "null" : plain(message, max);
    }
}
