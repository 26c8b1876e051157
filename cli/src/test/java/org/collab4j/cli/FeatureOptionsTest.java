package org.collab4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.FeatureFileException;
import org.collab4j.data.FeatureFormat;
import org.collab4j.data.FeatureTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code --item-features} and its companions parse, read MovieLens's files as they are and others by columns. */
class FeatureOptionsTest {

    @TempDir
    Path dir;

    @Command(name = "train")
    static final class Train {
        @Mixin
        FeatureOptions features;
    }

    private static FeatureOptions parse(String... args) {
        Train train = new Train();
        new CommandLine(train).parseArgs(args);
        return train.features;
    }

    private Path movies() throws IOException {
        return Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n"
                + "1,Toy Story (1995),Adventure|Animation\n2,Heat (1995),Action|Crime\n3,Babylon 5,Sci-Fi\n");
    }

    private Path tags() throws IOException {
        return Files.writeString(dir.resolve("tags.csv"), "userId,movieId,tag,timestamp\n"
                + "1,1,pixar,1\n2,2,heist,1\n3,1,Funny,1\n3,2,funny,1\n3,4,space,1\n");
    }

    private static int count(FeatureTable table, String prefix) {
        return (int) table.featureNames().stream().filter(n -> n.startsWith(prefix)).count();
    }

    @Test
    void withoutFilesThereAreNoFeatures() {
        FeatureOptions options = parse();
        options.validate();
        assertTrue(options.itemFeatures().isEmpty());
        assertTrue(options.userFeatures().isEmpty());
    }

    @Test
    void movieLensFilesNeedNoColumnOptionAndAreJoined() throws IOException {
        FeatureOptions options = parse("--item-features", movies().toString(), "--item-features", tags().toString());
        FeatureTable items = options.itemFeatures().orElseThrow();
        assertEquals(List.of("1", "2", "3", "4"), items.ids().ids());
        assertEquals(5, count(items, "genre="));
        // tags.csv pools below 2 movies by default: funny is on two, the rest on one.
        assertEquals(List.of("tag=funny", "tag=<other>"),
                items.featureNames().stream().filter(n -> n.startsWith("tag=")).toList());
        assertTrue(items.featureNames().contains("year"));
        assertTrue(options.itemFeatures().get() == items, "read once");

        FeatureTable keepAll = parse("--item-features", tags().toString(), "--feature-min-count", "1")
                .itemFeatures().orElseThrow();
        assertEquals(List.of("tag=pixar", "tag=heist", "tag=funny", "tag=space"), keepAll.featureNames());
        // Serving keeps every value: the model's vocabulary, not the served file's counts, decides.
        assertEquals(keepAll.featureNames(), parse("--item-features", tags().toString()).forServing()
                .itemFeatures().orElseThrow().featureNames());
        assertEquals(List.of("tag=funny", "tag=<other>"), parse("--item-features", tags().toString(),
                "--feature-min-count", "2").forServing().itemFeatures().orElseThrow().featureNames());
    }

    @Test
    void otherFilesAreReadByTheirColumnOption() throws IOException {
        Path file = Files.writeString(dir.resolve("items.tsv"), "id\tgenres\tcountry\tprice\n"
                + "a\tx;y\tFR\t1\nb\ty\tUS\t3\n");
        FeatureTable items = parse("--item-features", file.toString(), "--item-feature-columns",
                "id=id, multi=genres:;, cat=country, numeric=price, sep=tab").itemFeatures().orElseThrow();
        assertEquals(List.of("genres=x", "genres=y", "country=FR", "country=US", "price"), items.featureNames());

        Path users = Files.writeString(dir.resolve("users.txt"), "7|24|M\n8|53|F\n8|53|X\n");
        FeatureTable byPosition = parse("--user-features", users.toString(), "--user-feature-columns",
                "id=0,cat=2,sep=|,header=no,accumulate").userFeatures().orElseThrow();
        assertEquals(List.of("col2=M", "col2=F", "col2=X"), byPosition.featureNames());
        assertEquals(List.of("7", "8"), byPosition.ids().ids());

        FeatureFormat format = FeatureOptions.parseColumns("--x", "id=movieId,multi=genres,num=year");
        assertEquals("movieId", format.idColumnName());
        assertEquals("|", format.columns().get(0).separator());
        assertEquals(FeatureFormat.DEFAULT_MIN_COUNT, format.minCount());
    }

    @Test
    void aFileThatIsNotMovieLensNeedsTheColumnOption() throws IOException {
        Path file = Files.writeString(dir.resolve("genres.csv"), "id,genre\n1,x\n");
        CliException e = assertThrows(CliException.class,
                () -> parse("--item-features", file.toString()).itemFeatures());
        assertTrue(e.getMessage().contains("pass --item-feature-columns"), e.getMessage());
        CliException wrongSide = assertThrows(CliException.class,
                () -> parse("--item-features", dir.resolve("u.user").toString()).validate());
        assertTrue(wrongSide.getMessage().contains("pass it with --user-features"), wrongSide.getMessage());
        CliException moviesAsUsers = assertThrows(CliException.class,
                () -> parse("--user-features", movies().toString()).validate());
        assertTrue(moviesAsUsers.getMessage().contains("pass it with --item-features"), moviesAsUsers.getMessage());
    }

    @Test
    void aColumnOptionThatDoesNotParseSaysWhy() {
        for (String[] bad : new String[][] {
            {"cat=genre", "id=COLUMN"},
            {"id=movieId", "at least one feature column"},
            {"id=movieId,colour=red", "unknown entry \"colour\""},
            {"id=movieId,cat", "KIND=COLUMN"},
            {"id=movieId,cat=x,sep=ab", "one character or tab"},
            {"id=0,cat=name,header=no", "0-based positions"},
            {"id=movieId,num=year,accumulate", "numeric"},
            {"id=a,id=b,cat=c", "given twice"}}) {
            CliException e = assertThrows(CliException.class,
                    () -> FeatureOptions.parseColumns("--item-feature-columns", bad[0]), bad[0]);
            assertTrue(e.getMessage().startsWith("--item-feature-columns: "), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
        CliException min = assertThrows(CliException.class, () -> parse("--feature-min-count", "0").validate());
        assertTrue(min.getMessage().contains("--feature-min-count must be at least 1"), min.getMessage());
    }

    @Test
    void aBadFileIsReportedWithTheOptionTheLineAndTheColumnInTheCommandLinesTerms() throws IOException {
        Path file = Files.writeString(dir.resolve("items.csv"), "id,genre,price\na,x,1\nb,y,cheap\n");
        CliException text = assertThrows(CliException.class, () -> parse("--item-features", file.toString(),
                "--item-feature-columns", "id=id,cat=genre,num=price").itemFeatures());
        assertEquals("cannot read --item-features " + file + ": line 3, column 'price': expected a number, found"
                + " \"cheap\"; fix the value, or leave the field empty for a missing value", text.getMessage());
        FeatureFileException cause = assertInstanceOf(FeatureFileException.class, text.getCause());
        assertEquals(3, cause.line());

        Path twice = Files.writeString(dir.resolve("twice.csv"), "id,genre\na,x\na,y\n");
        CliException duplicate = assertThrows(CliException.class, () -> parse("--item-features", twice.toString(),
                "--item-feature-columns", "id=id,cat=genre").itemFeatures());
        assertTrue(duplicate.getMessage().contains("line 3, column 'id': the id \"a\" is already on line 2; give"
                + " each id one line, or add accumulate to --item-feature-columns"), duplicate.getMessage());

        Path otherMovies = Files.writeString(dir.resolve("movies.csv"), "id,name\n1,x\n");
        CliException layout = assertThrows(CliException.class,
                () -> parse("--item-features", otherMovies.toString()).itemFeatures());
        assertTrue(layout.getMessage().contains("column 'movieId'"), layout.getMessage());
        assertTrue(layout.getMessage().contains("read as MovieLens's movies.csv"), layout.getMessage());

        Path same = tags();
        CliException joined = assertThrows(CliException.class,
                () -> parse("--item-features", same.toString(), "--item-features", same.toString()).itemFeatures());
        assertTrue(joined.getMessage().contains("give each file once"), joined.getMessage());
    }

    @Test
    void theFilesAreTheRunsInputs() throws IOException {
        FeatureOptions options = parse("--item-features", movies().toString(), "--user-features",
                dir.resolve("missing/u.user").toString());
        RunFiles files = options.addTo(new RunFiles());
        CliException e = assertThrows(CliException.class, files::check);
        assertTrue(e.getMessage().contains("--user-features"), e.getMessage());
        CliException output = assertThrows(CliException.class,
                () -> parse("--item-features", movies().toString()).addTo(new RunFiles()).output("--save", movies())
                        .check());
        assertTrue(output.getMessage().contains("--item-features"), output.getMessage());
        assertFalse(parse().addTo(new RunFiles()).toString().isEmpty());
    }
}
