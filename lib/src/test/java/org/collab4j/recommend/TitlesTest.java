package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The MovieLens title files, written here as GroupLens ships them (ISO-8859-1 where GroupLens used it). */
class TitlesTest {

    @TempDir
    Path dir;

    @Test
    void readsMl100kItemInIso88591() throws IOException {
        Path item = dir.resolve("u.item");
        Files.write(item, ("1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)"
                + "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                + "267|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                + "1306|Délusion (1991)|01-Jan-1991||http://us.imdb.com/M/title-exact?D%E9lusion%20(1991)"
                + "|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0\n").getBytes(StandardCharsets.ISO_8859_1));
        Titles titles = Titles.read(item);
        assertEquals(Titles.Format.ML100K_ITEM, Titles.Format.of(item));
        assertEquals(3, titles.size());
        assertEquals("Toy Story (1995)", titles.get("1"));
        assertEquals("unknown", titles.get("267"));
        assertEquals("Délusion (1991)", titles.get("1306"));
    }

    @Test
    void readsMl1mMoviesDatInIso88591WithCrlf() throws IOException {
        Path dat = dir.resolve("movies.dat");
        Files.write(dat, ("1::Toy Story (1995)::Animation|Children's|Comedy\r\n"
                + "73::Misérables, Les (1995)::Drama|Musical\r\n"
                + "\r\n"
                + "3952::Contender, The (2000)::Drama|Thriller\r\n").getBytes(StandardCharsets.ISO_8859_1));
        Titles titles = Titles.read(dat);
        assertEquals(3, titles.size());
        assertEquals("Misérables, Les (1995)", titles.get("73"));
        assertEquals("Contender, The (2000)", titles.get("3952"));
        assertNull(titles.get("2"));
    }

    @Test
    void utf8IsKeptWhereTheFileIsUtf8() throws IOException {
        Path dat = dir.resolve("movies.dat");
        Files.writeString(dat, "73::Misérables, Les (1995)::Drama\n", StandardCharsets.UTF_8);
        assertEquals("Misérables, Les (1995)", Titles.read(dat).get("73"));
        Path csv = dir.resolve("movies.csv");
        Files.writeString(csv, "movieId,title,genres\n73,\"Misérables, Les (1995)\",Drama\n", StandardCharsets.UTF_8);
        assertEquals("Misérables, Les (1995)", Titles.read(csv).get("73"));
    }

    @Test
    void aMalformedLineNamesFileAndLine() throws IOException {
        Path dat = dir.resolve("movies.dat");
        Files.writeString(dat, "1::Toy Story (1995)::Animation\n2,Jumanji (1995),Adventure\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Titles.read(dat));
        assertTrue(e.getMessage().contains(dat + ", line 2") && e.getMessage().contains("id::title::genres"),
                e.getMessage());
        Path item = dir.resolve("u.item");
        Files.writeString(item, "|no id|01-Jan-1995\n");
        e = assertThrows(IllegalArgumentException.class, () -> Titles.read(item));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("'|'"), e.getMessage());
    }

    @Test
    void theFormatCanBeGivenWhateverTheName() throws IOException {
        Path file = dir.resolve("titles.txt");
        Files.writeString(file, "5|Five\n");
        assertEquals("Five", Titles.read(file, Titles.Format.ML100K_ITEM).get("5"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Titles.read(file));
        assertTrue(e.getMessage().contains("u.item"), "a CSV reading says how to read the others: "
                + e.getMessage());
    }
}
