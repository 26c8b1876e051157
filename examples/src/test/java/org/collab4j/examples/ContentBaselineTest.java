package org.collab4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.kernel.FeatureMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The content baseline's scores by hand: per-group cosines of a user's profile and an item's features. */
class ContentBaselineTest {

    /** c1, c2: comedies; d1: a drama; c3 a comedy tagged funny; x: no features; year is not a taste. */
    private static FeatureTable features() {
        List<String> names = List.of("genre=Comedy", "genre=Drama", "tag=funny", "year");
        // Rows: c1 {Comedy}, c2 {Comedy, funny}, d1 {Drama}, c3 {Comedy, Drama, funny}, x {} (year only)
        int[] offsets = {0, 2, 5, 7, 11, 12};
        int[] columns = {0, 3, 0, 2, 3, 1, 3, 0, 1, 2, 3, 3};
        float[] values = {1, 0.5f, 1, 1, -1, 1, 2, 1, 1, 1, 0, 1};
        return FeatureTable.of(IdMap.of(List.of("c1", "c2", "d1", "c3", "x")), names,
                FeatureMatrix.of(offsets, columns, values, 4), "test");
    }

    @Test
    void likedProfilesScoreTheSumOfGroupCosines() {
        Ratings train = Ratings.builder().add("u", "c1", 5).add("u", "c2", 4).add("u", "d1", 2).build();
        ContentBaseline b = new ContentBaseline(features(), n -> !n.equals("year"), train,
                ContentBaseline.Weighting.LIKED, 4);
        // u liked c1 {Comedy} and c2 {Comedy, funny}: the genre profile is Comedy (2, unit after the group's
        // normalisation), the tag profile funny. c3's genres {Comedy, Drama} have unit length: cos = 1/√2; its tag
        // group matches exactly: 1.
        assertEquals(1 / Math.sqrt(2) + 1, b.score("u", "c3"), 1e-9);
        assertEquals(1, b.score("u", "c1"), 1e-9);
        assertEquals(0, b.score("u", "d1"), 1e-9, "d1 was not liked, and Drama is not in the profile");
        assertEquals(0, b.score("u", "x"), 1e-9, "no taste features");
        assertEquals(0, b.score("nobody", "c1"), 1e-9);
    }

    @Test
    void centeredProfilesCountDislikedGenresAgainst() {
        Ratings train = Ratings.builder().add("u", "c1", 5).add("u", "d1", 1).build();
        ContentBaseline b = new ContentBaseline(features(), n -> !n.equals("year"), train,
                ContentBaseline.Weighting.CENTERED, 4);
        // Mean 3: c1 weighs +2, d1 −2; the genre profile (2, −2) has unit form (1, −1)/√2.
        assertEquals(1 / Math.sqrt(2), b.score("u", "c1"), 1e-9);
        assertEquals(-1 / Math.sqrt(2), b.score("u", "d1"), 1e-9);
        assertTrue(b.score("u", "c1") > b.score("u", "c3"), "c3 is half drama");
    }
}
