package org.collab4j.train.tune;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a time budget such as {@code 60s}, {@code 2m}, {@code 1m30s}, {@code 1h} or {@code 500ms}: what
 * {@code train --tune-budget} takes.
 */
public final class TuneBudget {

    /** The budget when none is given: 60 seconds (docs/benchmarks.md measures 30, 60 and 120). */
    public static final Duration DEFAULT = Duration.ofSeconds(60);

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private TuneBudget() {}

    /**
     * Parses a duration: one or more parts, each a number and a unit ({@code ms}, {@code s}, {@code m},
     * {@code h}), largest first, e.g. {@code 90s}, {@code 1.5m}, {@code 1m30s}.
     *
     * @param text the text
     * @return the duration, at least one second
     * @throws IllegalArgumentException naming the text and the form expected
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw bad(text, "it is empty");
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double seconds = 0;
        int lastRank = Integer.MAX_VALUE;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw bad(text, Character.isDigit(s.charAt(at)) || s.charAt(at) == '.'
                        ? "every number needs a unit (ms, s, m or h)" : "'" + s.substring(at) + "' is not a number"
                                + " with a unit");
            }
            double value = Double.parseDouble(m.group(1));
            String unit = m.group(2);
            int rank = switch (unit) {
                case "h" -> 3;
                case "m" -> 2;
                case "s" -> 1;
                default -> 0;
            };
            if (rank >= lastRank) {
                throw bad(text, "give the units largest first, each once (e.g. 1m30s)");
            }
            lastRank = rank;
            seconds += value * switch (unit) {
                case "h" -> 3600;
                case "m" -> 60;
                case "s" -> 1;
                default -> 0.001;
            };
            at = m.end();
        }
        if (seconds < 1) {
            throw bad(text, "a budget under one second leaves no time to train");
        }
        if (seconds > 7 * 24 * 3600) {
            throw bad(text, "it is more than a week");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * Shows a duration as {@link #parse} reads it, e.g. {@code 60s}, {@code 90s}, {@code 2m}.
     *
     * @param budget the duration
     * @return the text
     */
    public static String format(Duration budget) {
        long ms = budget.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        return s >= 120 && s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("a tuning budget is a duration such as 60s, 2m or 1m30s (units ms, s,"
                + " m, h), got '" + text + "': " + why);
    }
}
