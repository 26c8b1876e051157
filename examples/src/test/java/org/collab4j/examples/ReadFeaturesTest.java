package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** read-features reads feature files as train --item-features does and reports their vocabulary, or the error. */
class ReadFeaturesTest {

    @TempDir
    Path dir;

    @Test
    void printsEachSidesIdsAndFeaturesPerColumn() throws IOException {
        Path movies = Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n"
                + "1,Toy Story (1995),Adventure|Animation\n2,Heat (1995),Action\n3,Babylon 5,(no genres listed)\n");
        Path users = Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|94043\n");
        String[] result = run("read-features", "--item-features", movies.toString(), "--user-features",
                users.toString(), "--repeat", "2");
        assertEquals("0", result[0], result[2]);
        String[] lines = result[1].split("\n");
        assertEquals(4, lines.length, result[1]);
        assertTrue(lines[0].startsWith("items: 3 ids x 6 features (genre 3, year 2 (incl. 1 pooled/missing),"
                + " decade 1), 8 entries, read in "), lines[0]);
        assertTrue(lines[1].startsWith("users: 2 ids x 9 features (age 1, age_group 2, gender 2, occupation 2,"
                + " zip_region 2)"), lines[1]);
    }

    @Test
    void aBadFileIsOneErrorLineWithTheOptionLineAndColumn() throws IOException {
        Path items = Files.writeString(dir.resolve("items.csv"), "id,price\na,1\nb,cheap\n");
        String[] result = run("read-features", "--item-features", items.toString(), "--item-feature-columns",
                "id=id,num=price");
        assertEquals("2", result[0]);
        assertEquals("error: cannot read --item-features " + items + ": line 3, column 'price': expected a number,"
                + " found \"cheap\"; fix the value, or leave the field empty for a missing value", result[2].strip());
        result = run("read-features", "--item-features", items.toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("pass --item-feature-columns"), result[2]);
        result = run("read-features", "--item-features", dir.resolve("none.csv").toString(),
                "--item-feature-columns", "id=id,num=price");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("--item-features"), result[2]);
        result = run("read-features");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("give --item-features FILE or --user-features FILE"), result[2]);
    }
}
