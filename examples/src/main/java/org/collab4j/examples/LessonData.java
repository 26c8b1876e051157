package org.collab4j.examples;

import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.recommend.Titles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The MovieLens folder the lesson commands read, and the output folder they write pictures into. */
final class LessonData {

    /** The default {@code --data}: the {@code shared} folder beside the project root, as the docs use it. */
    static final String DEFAULT_DATA = "../shared/data/ml-latest-small";
    /** The default {@code --out}. */
    static final String DEFAULT_OUT = "collab4j-output";

    private LessonData() {}

    /**
     * Reads {@code ratings.csv} from a MovieLens folder.
     *
     * @throws IllegalArgumentException if the folder has no ratings.csv, saying what to pass instead
     */
    static Ratings ratings(Path data) throws IOException {
        Path file = data.resolve("ratings.csv");
        if (!Files.exists(file) || Files.isDirectory(file)) { // a FIFO is a ratings file too
            throw new IllegalArgumentException("no MovieLens ratings.csv in " + data.toAbsolutePath().normalize()
                    + ": pass --data DIR, a folder holding ml-latest-small's ratings.csv (and movies.csv). Get it"
                    + " from https://grouplens.org/datasets/movielens/ (ml-latest-small.zip), or run 'quickstart'"
                    + " without --data once, which downloads it to ~/.collab4j/datasets/ml-latest-small.");
        }
        return Ratings.read(file, RatingsFormat.MOVIELENS_CSV);
    }

    /** The titles from {@code movies.csv} beside the ratings, or none when it is missing. */
    static Titles titles(Path data) throws IOException {
        Path file = data.resolve("movies.csv");
        return (Files.exists(file) && !Files.isDirectory(file)) ? Titles.read(file) : Titles.NONE;
    }
}
