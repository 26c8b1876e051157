package org.collab4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShownTest {

    @Test
    void quotesCutsAndEscapes() {
        assertEquals("\"four\"", Shown.quoted("four"));
        assertEquals("an empty value", Shown.quoted(""));
        assertEquals("null", Shown.quoted(null));
        assertEquals("\"" + "x".repeat(40) + "...(10000000 characters)\"", Shown.quoted("x".repeat(10_000_000)));
        // An ANSI escape sequence and line breaks cannot reach the terminal raw.
        String shown = Shown.quoted("a\u001b[31mred\r\nb\tc\u0000\u2028");
        assertEquals("\"a\\u001B[31mred\\r\\nb\\tc\\u0000\\u2028\"", shown);
        assertTrue(shown.chars().noneMatch(Character::isISOControl), shown);
    }

    @Test
    void neverCutsACharacterInHalf() {
        String emoji = "\ud83d\ude00";
        String shown = Shown.plain("a".repeat(39) + emoji + "b", 40);
        assertEquals("a".repeat(39) + "...(42 characters)", shown);
        assertEquals(emoji, Shown.plain(emoji, 2));
    }

    @Test
    void listsAreBounded() {
        List<String> header = new ArrayList<>();
        for (int n = 0; n < 10_000; n++) {
            header.add("column" + n);
        }
        String shown = Shown.list(header);
        assertTrue(shown.startsWith("[column0, column1,") && shown.endsWith(", ... 9990 more]"), shown);
        assertEquals("[user, movieId]", Shown.list(List.of("user", "movieId")));
        assertFalse(Shown.list(List.of("a\nb")).contains("\n"));
    }

    @Test
    void oneLineKeepsAMessageOnOneBoundedLine() {
        String line = Shown.oneLine("first\nsecond " + "z".repeat(5_000), 100);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.length() < 130, line);
    }
}
