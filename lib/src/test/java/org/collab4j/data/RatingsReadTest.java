package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading small files in each supported layout. */
class RatingsReadTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void movieLensCsvWithHeaderAndCrlf() throws IOException {
        Path file = write("ratings.csv",
                "userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n1,1029,3.0,1260759179\r\n2,31,4.5,1260759185\r\n");
        Ratings ratings = Ratings.read(file, RatingsFormat.MOVIELENS_CSV);

        assertEquals(3, ratings.size());
        assertEquals(List.of("1", "2"), ratings.users().ids());
        assertEquals(List.of("31", "1029"), ratings.items().ids());
        assertArrayEquals(new int[] {0, 0, 1}, ratings.userIndices());
        assertArrayEquals(new int[] {0, 1, 0}, ratings.itemIndices());
        assertArrayEquals(new float[] {2.5f, 3.0f, 4.5f}, ratings.ratingValues());
        assertTrue(ratings.hasTimestamps());
        assertEquals(1260759179L, ratings.timestamp(1));
    }

    @Test
    void movieLens100kTabSeparated() throws IOException {
        Path file = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n");
        Ratings ratings = Ratings.read(file, RatingsFormat.ML_100K);

        assertEquals(3, ratings.size());
        assertEquals(List.of("196", "186"), ratings.users().ids());
        assertEquals(List.of("242", "302", "377"), ratings.items().ids());
        assertEquals(1f, ratings.rating(2));
        assertEquals(878887116L, ratings.timestamp(2));
    }

    @Test
    void movieLensDatWithDoubleColonsAndStrayQuotes() throws IOException {
        // A quote is an ordinary character in ratings.dat; the preset must not treat it as quoting.
        Path file = write("ratings.dat", "1::1193::5::978300760\n1::\"661::3::978302109\n2::1193::4::978298413");
        Ratings ratings = Ratings.read(file, RatingsFormat.ML_DAT);

        assertEquals(3, ratings.size());
        assertEquals(List.of("1193", "\"661"), ratings.items().ids());
        assertArrayEquals(new float[] {5f, 3f, 4f}, ratings.ratingValues());
        assertEquals(978298413L, ratings.timestamp(2));
    }

    @Test
    void columnsByName() throws IOException {
        Path file = write("reordered.csv", "stars,when,product,customer\n4.5,100,p1,c1\n2,200,p2,c2\n");
        RatingsFormat format = RatingsFormat.builder()
                .setDelimiter(",")
                .optUserColumn("customer")
                .optItemColumn("product")
                .optRatingColumn("stars")
                .optTimestampColumn("when")
                .build();
        Ratings ratings = Ratings.read(file, format);

        assertEquals(List.of("c1", "c2"), ratings.users().ids());
        assertEquals(List.of("p1", "p2"), ratings.items().ids());
        assertArrayEquals(new float[] {4.5f, 2f}, ratings.ratingValues());
        assertEquals(200L, ratings.timestamp(1));
    }

    @Test
    void columnsByIndexWithAHeader() throws IOException {
        Path file = write("indexed.csv", "when,item,user,score\n100,i1,u1,3\n");
        RatingsFormat format = RatingsFormat.builder()
                .setDelimiter(",")
                .optUserColumn(2)
                .optItemColumn(1)
                .optRatingColumn(3)
                .build();
        Ratings ratings = Ratings.read(file, format);

        assertEquals("u1", ratings.users().id(ratings.user(0)));
        assertEquals("i1", ratings.items().id(ratings.item(0)));
        assertEquals(3f, ratings.rating(0));
        assertFalse(ratings.hasTimestamps());
    }

    @Test
    void customMultiCharacterDelimiter() throws IOException {
        Path file = write("custom.txt", "user||item||rating\nanna||book one||4\nbob||book two||5\n");
        Ratings ratings = Ratings.read(file, RatingsFormat.builder().setDelimiter("||").build());

        assertEquals(List.of("book one", "book two"), ratings.items().ids());
        assertEquals(4.5, ratings.meanRating(), 1e-9);
    }

    @Test
    void quotedFieldsMayContainTheDelimiter() throws IOException {
        Path file = write("quoted.csv", "user,item,rating\n\"Doe, Jane\",\"a \"\"quoted\"\" title\",4\n");
        Ratings ratings = Ratings.read(file, RatingsFormat.builder().setDelimiter(",").build());

        assertEquals("Doe, Jane", ratings.users().id(0));
        assertEquals("a \"quoted\" title", ratings.items().id(0));
    }

    @Test
    void blankLinesSurroundingSpacesAndAByteOrderMarkAreTolerated() throws IOException {
        Path file = write("messy.csv", "\uFEFFuserId, movieId ,rating\n\n 1 , 2 , 3.5 \n   \n1,3,4");
        RatingsFormat format = RatingsFormat.builder().setDelimiter(",").optUserColumn("userId").build();
        Ratings ratings = Ratings.read(file, format);

        assertEquals(2, ratings.size());
        assertEquals(List.of("1"), ratings.users().ids());
        assertEquals(List.of("2", "3"), ratings.items().ids());
        assertEquals(3.5f, ratings.rating(0));
    }

    @Test
    void oddAndVeryLongIdsAreKeptExactly() throws IOException {
        String longId = "u".repeat(100_000);
        List<String> users = List.of("Doe, Jane", "multi\nline", "tab\there", "\u00e9\u00e8 \u4e2d\u6587 \ud83d\ude00",
                "quote\"d", longId, "con\u0001trol", "-1", "0x1F");
        StringBuilder csv = new StringBuilder("user,item,rating\n");
        for (int k = 0; k < users.size(); k++) {
            csv.append('"').append(users.get(k).replace("\"", "\"\"")).append("\",item ").append(k).append(",3\n");
        }
        Ratings ratings = Ratings.read(write("odd.csv", csv.toString()),
                RatingsFormat.builder().setDelimiter(",").build());
        assertEquals(users, ratings.users().ids());
        assertEquals(longId, ratings.users().id(5));
    }

    @Test
    void sharedMovieLensRatingsCsvParses() throws IOException {
        Path file = Path.of("../../shared/data/ml-latest-small/ratings.csv");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(file), "no " + file.toAbsolutePath());
        Ratings ratings = Ratings.read(file, RatingsFormat.MOVIELENS_CSV);

        assertEquals(100_836, ratings.size());
        assertEquals(610, ratings.users().size());
        assertEquals(9_724, ratings.items().size());
        assertEquals(0.5f, ratings.minRating());
        assertEquals(5f, ratings.maxRating());
    }
}
