package org.collab4j.data;

import static org.collab4j.data.FeatureFormatTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MovieLens readings, on tiny files written here in each file's real layout (never the shared data). */
class MovieLensFeaturesTest {

    @TempDir
    Path dir;

    private static final String MOVIES = "movieId,title,genres\n"
            + "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
            + "2,\"American President, The (1995)\",Comedy|Drama|Romance\n"
            + "3,Babylon 5,Sci-Fi\n"
            + "4,Death Note: Desu n\u00f4to (2006\u20132007),(no genres listed)\n"
            + "5,Metropolis (1927) ,Drama|Sci-Fi\n";

    private static final String TAGS = "userId,movieId,tag,timestamp\n"
            + "2,1,Pixar,1445714994\n"
            + "3,1,pixar ,1445714996\n"
            + "3,1,funny,1445714996\n"
            + "4,2,Funny,1445714997\n"
            + "4,3,space,1445714998\n";

    @Test
    void moviesGivesGenresYearAndDecade() throws IOException {
        Path file = Files.writeString(dir.resolve("movies.csv"), MOVIES);
        FeatureTable movies = MovieLensFeatures.movies(file);
        assertEquals(List.of("1", "2", "3", "4", "5"), movies.ids().ids());
        assertEquals(List.of("genre=Adventure", "genre=Animation", "genre=Children", "genre=Comedy", "genre=Fantasy",
                "genre=Drama", "genre=Romance", "genre=Sci-Fi", "year", "year=<missing>", "decade=1990s",
                "decade=2000s", "decade=1920s"), movies.featureNames());
        // years 1995, 1995, 2006, 1927: mean 1980.75, population sd over those four.
        double mean = (1995 + 1995 + 2006 + 1927) / 4.0;
        double sd = Math.sqrt((2 * Math.pow(1995 - mean, 2) + Math.pow(2006 - mean, 2) + Math.pow(1927 - mean, 2))
                / 4);
        Map<String, Float> toyStory = row(movies, "1");
        assertEquals(7, toyStory.size());
        assertEquals((float) ((1995 - mean) / sd), toyStory.get("year"), 1e-6f);
        assertEquals(1f, toyStory.get("decade=1990s"));
        assertEquals(Map.of("genre=Sci-Fi", 1f, "year=<missing>", 1f), row(movies, "3"));
        Map<String, Float> deathNote = row(movies, "4");
        assertEquals(2, deathNote.size(), "no genre for (no genres listed)");
        assertEquals(1f, deathNote.get("decade=2000s"));
        assertEquals((float) ((1927 - mean) / sd), row(movies, "5").get("year"), 1e-6f);
        assertEquals(movies.featureNames(), MovieLensFeatures.forFile(file).featureNames());
    }

    @Test
    void titleYears() {
        assertEquals("1995", MovieLensFeatures.titleYear("Toy Story (1995)"));
        assertEquals("2006", MovieLensFeatures.titleYear("Death Note: Desu n\u00f4to (2006\u20132007)"));
        assertEquals("1994", MovieLensFeatures.titleYear("Babylon 5 (1994-1998) "));
        assertNull(MovieLensFeatures.titleYear("Babylon 5"));
        assertNull(MovieLensFeatures.titleYear("1984 (film)"));
        assertEquals("1980s", MovieLensFeatures.decade("Brazil (1985)"));
    }

    @Test
    void tagsAreLowerCasedTrimmedAccumulatedAndPooled() throws IOException {
        Path file = Files.writeString(dir.resolve("tags.csv"), TAGS);
        FeatureTable all = MovieLensFeatures.tags(file, 1);
        assertEquals(List.of("1", "2", "3"), all.ids().ids());
        assertEquals(List.of("tag=pixar", "tag=funny", "tag=space"), all.featureNames());
        assertEquals(Map.of("tag=pixar", 1f, "tag=funny", 1f), row(all, "1"));
        // funny is on two movies; pixar (twice) and space on one each.
        FeatureTable pooled = MovieLensFeatures.tags(file, 2);
        assertEquals(List.of("tag=funny", "tag=<other>"), pooled.featureNames());
        assertEquals(Map.of("tag=funny", 1f, "tag=<other>", 1f), row(pooled, "1"));
        assertEquals(Map.of("tag=<other>", 1f), row(pooled, "3"));
        assertEquals(pooled.featureNames(), MovieLensFeatures.forFile(file).featureNames(),
                "forFile pools below " + MovieLensFeatures.DEFAULT_TAG_MIN_COUNT);
        FeatureTable joined = MovieLensFeatures.movies(Files.writeString(dir.resolve("movies.csv"), MOVIES))
                .join(pooled);
        assertEquals(5, joined.ids().size());
        assertEquals(15, joined.featureNames().size());
    }

    @Test
    void uItemGivesGenreFlagsYearAndDecadeInLatin1() throws IOException {
        String flags1 = "0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";
        String flags2 = "1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";
        Path file = dir.resolve("u.item");
        Files.write(file, ("1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|"
                + flags1 + "\n267|unknown||||" + flags2 + "\n"
                + "1300|'Til There Was You (1997)|01-Jan-1997||http://x|0|0|0|0|0|0|0|0|1|0|0|0|0|0|1|0|0|0|0\n"
                + "1682|Scream of St\u00e9phanie (1996)|01-Jan-1996||http://x|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        FeatureTable items = MovieLensFeatures.uItem(file);
        assertEquals(List.of("1", "267", "1300", "1682"), items.ids().ids());
        Map<String, Float> toyStory = row(items, "1");
        assertEquals(1f, toyStory.get("genre=Animation"));
        assertEquals(1f, toyStory.get("genre=Children"), "Children's is named as in movies.csv");
        assertEquals(1f, toyStory.get("genre=Comedy"));
        assertEquals(1f, toyStory.get("decade=1990s"));
        assertEquals(Map.of("year=<missing>", 1f), row(items, "267"), "the unknown flag gives no genre");
        assertTrue(row(items, "1300").containsKey("genre=Romance"));
        assertEquals(items.featureNames(), MovieLensFeatures.forFile(file).featureNames());

        Path bad = dir.resolve("bad/u.item");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "1|Toy Story (1995)|01-Jan-1995||http://x|" + flags1.replaceFirst("1", "2") + "\n");
        FeatureFileException e = assertThrows(FeatureFileException.class, () -> MovieLensFeatures.uItem(bad));
        assertEquals(FeatureFileException.Kind.BAD_VALUE, e.kind());
        assertEquals(1, e.line());
        assertEquals("column 8", e.column());
        assertTrue(e.getMessage().contains("expected a genre flag, 0 or 1, found \"2\""), e.getMessage());
    }

    @Test
    void uUserGivesAgeAgeGroupGenderOccupationAndZipRegion() throws IOException {
        Path file = Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|94043\n"
                + "3|23|M|writer|32067\n4|24|M|technician|T8H1N\n");
        FeatureTable users = MovieLensFeatures.uUser(file);
        assertEquals(List.of("age", "age_group=18-24", "age_group=50-55", "gender=M", "gender=F",
                "occupation=technician", "occupation=other", "occupation=writer", "zip_region=8", "zip_region=9",
                "zip_region=3", "zip_region=non-numeric"), users.featureNames());
        double mean = (24 + 53 + 23 + 24) / 4.0;
        double sd = Math.sqrt((2 * Math.pow(24 - mean, 2) + Math.pow(53 - mean, 2) + Math.pow(23 - mean, 2)) / 4);
        Map<String, Float> second = row(users, "2");
        assertEquals((float) ((53 - mean) / sd), second.get("age"), 1e-6f);
        assertEquals(Map.of("age", second.get("age"), "age_group=50-55", 1f, "gender=F", 1f, "occupation=other", 1f,
                "zip_region=9", 1f), second);
        assertEquals(1f, row(users, "4").get("zip_region=non-numeric"));
        assertEquals(users.featureNames(), MovieLensFeatures.forFile(file).featureNames());
        assertEquals(List.of("age", "age_group=18-24", "age_group=<other>", "gender=M", "gender=<other>",
                "occupation=technician", "occupation=<other>", "zip_region=<other>"),
                MovieLensFeatures.uUserFormat().withMinCount(2).read(file).featureNames());

        Path bad = Files.writeString(dir.resolve("bad.user"), "1|24|M|technician|85711\n2|old|F|other|94043\n");
        FeatureFileException e = assertThrows(FeatureFileException.class, () -> MovieLensFeatures.uUser(bad));
        assertEquals(FeatureFileException.Kind.NOT_A_NUMBER, e.kind());
        assertEquals(2, e.line());
        assertEquals("column 1", e.column());
    }

    @Test
    void forFilePicksTheReadingByNameAndRefusesOtherNames() throws IOException {
        assertTrue(MovieLensFeatures.formatFor(Path.of("data/MOVIES.CSV")).isPresent());
        assertTrue(MovieLensFeatures.formatFor(Path.of("ratings.csv")).isEmpty());
        Path other = Files.writeString(dir.resolve("genres.csv"), "id,genre\n1,x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MovieLensFeatures.forFile(other));
        assertTrue(e.getMessage().contains("movies.csv, tags.csv, u.item and u.user"), e.getMessage());
    }

    @Test
    void aMoviesFileInAnotherLayoutNamesTheMissingColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("movies.csv"), "movieId,name,genres\n1,Toy Story (1995),Comedy\n");
        FeatureFileException e = assertThrows(FeatureFileException.class, () -> MovieLensFeatures.movies(file));
        assertEquals(FeatureFileException.Kind.MISSING_COLUMN, e.kind());
        assertEquals("title", e.column());
        assertEquals(1, e.line());
    }
}
