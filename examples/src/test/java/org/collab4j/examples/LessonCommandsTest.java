package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lesson commands: crosstab, graddesc, tensors. */
class LessonCommandsTest {

    @TempDir
    Path dir;

    @Test
    void tensorsShowsTheLessonsNumbers() {
        String[] result = run("tensors");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("[[  2.00,  4.00]\n   [ 30.00, 40.00]]"), result[1]);
        assertTrue(result[1].contains("[  6.00, 70.00]"), result[1]);
        assertTrue(result[1].contains("one-hot x matrix = embedding lookup: true"), result[1]);
    }

    @Test
    void graddescComparesFiveOptimizersAndPlotsThem() {
        Path out = dir.resolve("out");
        String[] result = run("graddesc", "--steps", "200", "--every", "50", "--out", out.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].matches("(?s).*step\\s+SGD\\s+momentum\\s+RMSProp\\s+Adam\\s+AdamW.*"), result[1]);
        assertTrue(Files.isRegularFile(out.resolve("graddesc.png")));
        // Adam fits the line; plain SGD, at the rate that keeps it stable, has barely moved b.
        Matcher adam = Pattern.compile("Adam +a = +([0-9.]+) +b = +([0-9.]+)").matcher(result[1]);
        assertTrue(adam.find(), result[1]);
        assertEquals(2, Double.parseDouble(adam.group(1)), 0.05);
        assertEquals(30, Double.parseDouble(adam.group(2)), 1);
        Matcher sgd = Pattern.compile("SGD +a = +([0-9.]+) +b = +([0-9.]+)").matcher(result[1]);
        assertTrue(sgd.find(), result[1]);
        assertTrue(Double.parseDouble(sgd.group(2)) < 5, result[1]);
    }

    @Test
    void crosstabFitsTheTableAndSaysWhenTheDataIsMissing() throws IOException {
        // 20 users x 20 movies from two hidden factors; users u0.. rate more movies the lower their number.
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 20; u++) {
            for (int m = 0; m < 20; m++) {
                if (random.nextInt(20) >= u / 2 + m / 3) {
                    double r = 3 + Math.sin(u) * Math.cos(m) + 0.8 * Math.cos(u + 1) * Math.sin(m + 2);
                    csv.append("u").append(u).append(',').append(100 + m).append(',')
                            .append(Math.max(0.5, Math.min(5, Math.round(2 * r) / 2.0))).append(",0\n");
                }
            }
        }
        Path data = dir.resolve("ml");
        Files.createDirectories(data);
        Files.writeString(data.resolve("ratings.csv"), csv);
        Files.writeString(data.resolve("movies.csv"), "movieId,title,genres\n100,Toy Story (1995),Comedy\n");
        Path out = dir.resolve("out");
        String[] result = run("crosstab", "--data", data.toString(), "--out", out.toString(), "--size", "8",
                "--steps", "300", "--every", "100");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("The 8 most active users x the 8 most rated movies"), result[1]);
        assertTrue(result[1].contains("100  Toy Story (1995)"), result[1]);
        Matcher rmse = Pattern.compile("RMSE ([0-9]+\\.[0-9]+) -> ([0-9]+\\.[0-9]+)").matcher(result[1]);
        assertTrue(rmse.find(), result[1]);
        assertTrue(Double.parseDouble(rmse.group(1)) > 1.5, result[1]);
        assertTrue(Double.parseDouble(rmse.group(2)) < 0.5, result[1]);
        assertTrue(Files.isRegularFile(out.resolve("crosstab-rmse.png")));

        result = run("crosstab", "--data", dir.resolve("nowhere").toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("no MovieLens ratings.csv in") && result[2].contains("--data DIR"),
                result[2]);
    }
}
