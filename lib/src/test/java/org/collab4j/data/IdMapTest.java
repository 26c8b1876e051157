package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdMapTest {

    @Test
    void builderNumbersIdsInOrderOfFirstAppearance() {
        IdMap.Builder builder = IdMap.builder();
        assertEquals(0, builder.add("b"));
        assertEquals(1, builder.add("a"));
        assertEquals(0, builder.add("b"));
        assertEquals(2, builder.add("c"));
        IdMap map = builder.build();

        assertEquals(List.of("b", "a", "c"), map.ids());
        assertEquals(3, map.size());
        assertEquals(1, map.indexOf("a"));
        assertEquals(-1, map.indexOf("z"));
        assertTrue(map.contains("c"));
        assertFalse(map.contains("z"));
    }

    @Test
    void idsRoundTripThroughIndices() {
        List<String> ids = List.of("10", "7", "x", "");
        IdMap map = IdMap.of(ids);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, map.indexOf(ids.get(i)));
            assertEquals(ids.get(i), map.id(map.indexOf(ids.get(i))));
        }
        assertEquals(ids, map.ids());
    }

    @Test
    void laterAdditionsDoNotChangeABuiltMap() {
        IdMap.Builder builder = IdMap.builder();
        builder.add("a");
        IdMap first = builder.build();
        builder.add("b");
        assertEquals(List.of("a"), first.ids());
        assertEquals(-1, first.indexOf("b"));
        assertEquals(2, builder.build().size());
    }

    @Test
    void idsAreUnmodifiable() {
        IdMap map = IdMap.of(List.of("a"));
        assertThrows(UnsupportedOperationException.class, () -> map.ids().add("b"));
    }

    @Test
    void idOutOfRangeSaysWhichIndicesAreValid() {
        IdMap map = IdMap.of(List.of("a", "b"));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> map.id(2));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("0..1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> map.id(-1));
    }

    @Test
    void ofRejectsDuplicatesAndNulls() {
        IllegalArgumentException duplicate =
                assertThrows(IllegalArgumentException.class, () -> IdMap.of(List.of("a", "b", "a")));
        assertTrue(duplicate.getMessage().contains("\"a\" appears twice, at positions 0 and 2"),
                duplicate.getMessage());
        IllegalArgumentException nullId =
                assertThrows(IllegalArgumentException.class, () -> IdMap.of(Arrays.asList("a", null)));
        assertTrue(nullId.getMessage().contains("ids[1] is null"), nullId.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdMap.builder().add(null));
    }

    @Test
    void equalityFollowsIdsAndOrder() {
        assertEquals(IdMap.of(List.of("a", "b")), IdMap.of(List.of("a", "b")));
        assertEquals(IdMap.of(List.of("a", "b")).hashCode(), IdMap.of(List.of("a", "b")).hashCode());
        assertNotEquals(IdMap.of(List.of("a", "b")), IdMap.of(List.of("b", "a")));
    }

    @Test
    void toStringIsShort() {
        assertEquals("IdMap[size=7, ids=1, 2, 3, 4, 5, ...]",
                IdMap.of(List.of("1", "2", "3", "4", "5", "6", "7")).toString());
        assertEquals("IdMap[size=2, ids=a, b]", IdMap.of(List.of("a", "b")).toString());
    }

    @Test
    void extendingKeepsTheOldIndicesFirst() {
        IdMap old = IdMap.of(List.of("a", "b", "c"));
        IdMap extended = old.extendedWith(IdMap.of(List.of("d", "b", "e", "a")));
        assertEquals(List.of("a", "b", "c", "d", "e"), extended.ids());
        assertEquals(3, extended.indexOf("d"));
        assertSame(old, old.extendedWith(IdMap.of(List.of("c", "a"))));
    }
}
