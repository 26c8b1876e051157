package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensTest {

    /** The GroupLens archive in the shared folder beside the project root; surefire runs in lib/. */
    private static final Path SHARED_ZIP =
            Path.of("../../shared/data/ml-latest-small.zip").toAbsolutePath().normalize();

    private static final String RATINGS = "userId,movieId,rating,timestamp\n1,10,4.0,100\n2,10,3.5,200\n";

    @TempDir
    Path tmp;

    private static Path zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void installsTheGroupLensArchiveFromAFileUrlOnce() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(SHARED_ZIP), "no " + SHARED_ZIP);
        Path cache = tmp.resolve("cache");
        MovieLens movieLens = MovieLens.builder()
                .optCacheDir(cache)
                .optUrl(SHARED_ZIP.toUri())
                .optProgress(false)
                .build();

        Path dir = movieLens.prepare();
        assertEquals(cache.resolve("ml-latest-small"), dir);
        assertTrue(Files.isRegularFile(dir.resolve("ratings.csv")), "top-level folder stripped");
        assertTrue(Files.isRegularFile(dir.resolve("movies.csv")));
        Path marker = dir.resolve(MovieLens.MARKER);
        assertTrue(Files.readString(marker).contains(MovieLens.Dataset.LATEST_SMALL.sha256()));
        assertEquals(List.of("ml-latest-small"), list(cache), "no temporary files left");

        Ratings ratings = movieLens.load();
        assertEquals(100_836, ratings.size());
        assertEquals(610, ratings.users().size());
        assertEquals(9_724, ratings.items().size());
        assertTrue(ratings.hasTimestamps());

        // A second prepare() must not download: point it at a URL that does not exist.
        FileTime before = Files.getLastModifiedTime(marker);
        MovieLens offline = MovieLens.builder()
                .optCacheDir(cache)
                .optUrl(tmp.resolve("missing.zip").toUri())
                .build();
        assertEquals(dir, offline.prepare());
        assertEquals(dir.resolve("ratings.csv"), offline.ratingsFile());
        assertEquals(before, Files.getLastModifiedTime(marker));
    }

    @Test
    void checksumMismatchLeavesNothingBehind() throws Exception {
        Path archive = zip(tmp.resolve("small.zip"), Map.of("ml-latest-small/ratings.csv", RATINGS));
        Path cache = tmp.resolve("cache");
        String wrong = "0".repeat(64);
        MovieLens movieLens = MovieLens.builder()
                .optCacheDir(cache)
                .optUrl(archive.toUri())
                .optSha256(wrong)
                .optProgress(false)
                .build();

        IOException e = assertThrows(IOException.class, movieLens::prepare);
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains(sha256(archive)), e.getMessage());
        assertTrue(e.getMessage().contains(archive.toUri().toString()), e.getMessage());
        assertEquals(List.of(), list(cache));
    }

    @Test
    void ownArchiveWithMatchingChecksumInstallsAndLoads() throws Exception {
        Path archive = zip(tmp.resolve("flat.zip"), Map.of("ratings.csv", RATINGS, "README.txt", "hi"));
        Path cache = tmp.resolve("cache");
        Ratings ratings = MovieLens.builder()
                .optCacheDir(cache)
                .optUrl(archive.toUri())
                .optSha256(sha256(archive).toUpperCase())
                .build()
                .load();
        assertEquals(2, ratings.size());
        assertTrue(Files.isRegularFile(cache.resolve("ml-latest-small/README.txt")));
    }

    @Test
    void zipSlipEntryIsRejected() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("ml-latest-small/ratings.csv", RATINGS);
        entries.put("ml-latest-small/../../evil.txt", "gotcha");
        Path archive = zip(tmp.resolve("evil.zip"), entries);
        Path cache = tmp.resolve("cache");
        MovieLens movieLens = MovieLens.builder()
                .optCacheDir(cache)
                .optUrl(archive.toUri())
                .optSha256(sha256(archive))
                .optProgress(false)
                .build();

        IOException e = assertThrows(IOException.class, movieLens::prepare);
        assertTrue(e.getMessage().contains("'ml-latest-small/../../evil.txt'"), e.getMessage());
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertEquals(List.of(), list(cache));
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(cache.resolve("evil.txt")));
    }

    @Test
    void archiveWithoutTheRatingsFileIsNotInstalled() throws Exception {
        Path archive = zip(tmp.resolve("other.zip"), Map.of("ml-100k/u.data", "1\t2\t3\t4\n"));
        Path cache = tmp.resolve("cache");
        MovieLens movieLens = MovieLens.builder()
                .optCacheDir(cache)
                .optUrl(archive.toUri())
                .optSha256(null)
                .build();

        IOException e = assertThrows(IOException.class, movieLens::prepare);
        assertTrue(e.getMessage().contains("has no ratings.csv"), e.getMessage());
        assertEquals(List.of(), list(cache));

        Path installed = MovieLens.builder()
                .optDataset(MovieLens.Dataset.ML_100K)
                .optCacheDir(cache)
                .optUrl(archive.toUri())
                .optSha256(null)
                .build()
                .prepare();
        assertEquals(cache.resolve("ml-100k"), installed);
    }

    @Test
    void incompleteDirectoryIsNotMistakenForADataset() throws IOException {
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache.resolve("ml-latest-small"));
        MovieLens movieLens = MovieLens.builder().optCacheDir(cache).optUrl(tmp.resolve("x.zip").toUri()).build();
        IOException e = assertThrows(IOException.class, movieLens::prepare);
        assertTrue(e.getMessage().contains("not a complete download"), e.getMessage());
    }

    @Test
    void aFailedDownloadNamesTheUrlAndTheFolder() throws Exception {
        Path cache = tmp.resolve("cache");
        java.net.URI missing = tmp.resolve("missing.zip").toUri();
        MovieLens movieLens = MovieLens.builder().optCacheDir(cache).optUrl(missing).build();
        MovieLens.DownloadException e = assertThrows(MovieLens.DownloadException.class, movieLens::prepare);
        assertTrue(e.getMessage().startsWith("could not download " + missing + " to " + cache.resolve(
                "ml-latest-small") + ": there is no file"), e.getMessage());
        assertTrue(e.getMessage().contains("check the network connection"), e.getMessage());
        assertEquals(missing, e.url());

        // Not a zip archive (an error page, say), with the checksum the caller vouched for.
        Path page = Files.writeString(tmp.resolve("page.zip"), "<html>Service unavailable</html>");
        e = assertThrows(MovieLens.DownloadException.class, MovieLens.builder().optCacheDir(cache)
                .optUrl(page.toUri()).optSha256(sha256(page)).build()::prepare);
        assertTrue(e.getMessage().contains("not a readable zip archive"), e.getMessage());

        Path file = Files.writeString(tmp.resolve("cache-file"), "x");
        e = assertThrows(MovieLens.DownloadException.class,
                MovieLens.builder().optCacheDir(file).optUrl(page.toUri()).build()::prepare);
        assertTrue(e.getMessage().contains("the cache folder " + file + " is a file, not a folder"), e.getMessage());
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(), left.toList(), "nothing left in the cache");
        }
    }

    @Test
    void everyKnownArchiveHasAChecksumSoASubstituteIsRefused() throws IOException {
        for (MovieLens.Dataset dataset : MovieLens.Dataset.values()) {
            assertTrue(dataset.sha256() != null && dataset.sha256().matches("[0-9a-f]{64}"), dataset.name());
        }
        for (MovieLens.Dataset dataset : List.of(MovieLens.Dataset.ML_100K, MovieLens.Dataset.ML_1M,
                MovieLens.Dataset.ML_25M)) {
            Path fake = zip(tmp.resolve(dataset.directoryName() + ".zip"),
                    Map.of(dataset.directoryName() + "/" + dataset.ratingsFileName(), "1\t2\t3\t4\n"));
            MovieLens.DownloadException e = assertThrows(MovieLens.DownloadException.class, MovieLens.builder()
                    .optDataset(dataset).optCacheDir(tmp.resolve("cache")).optUrl(fake.toUri()).build()::prepare);
            assertTrue(e.getMessage().contains("SHA-256 mismatch: expected " + dataset.sha256()), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("cache").resolve(dataset.directoryName())));
        }
    }

    @Test
    void builderValidatesItsSettings() {
        assertThrows(IllegalArgumentException.class, () -> MovieLens.builder().optDataset(null).build());
        IllegalArgumentException sha =
                assertThrows(IllegalArgumentException.class, () -> MovieLens.builder().optSha256("abc").build());
        assertTrue(sha.getMessage().contains("64 hex digits"), sha.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MovieLens.builder().optUrl(java.net.URI.create("data/ml.zip")).build());
    }

    @Test
    void defaultCacheDirIsUnderTheHomeDirectoryUnlessConfigured() {
        String env = System.getenv("COLLAB4J_CACHE_DIR");
        Path expected = env == null || env.isBlank()
                ? Path.of(System.getProperty("user.home"), ".collab4j", "datasets")
                : Path.of(env);
        assertEquals(expected, MovieLens.defaultCacheDir());
    }

    @Test
    void datasetsDescribeTheirFiles() {
        MovieLens.Dataset small = MovieLens.Dataset.LATEST_SMALL;
        assertEquals("ml-latest-small", small.directoryName());
        assertEquals("ratings.csv", small.ratingsFileName());
        assertEquals(RatingsFormat.MOVIELENS_CSV, small.format());
        assertEquals("https://files.grouplens.org/datasets/movielens/ml-latest-small.zip", small.url().toString());
        assertEquals(RatingsFormat.ML_100K, MovieLens.Dataset.ML_100K.format());
        assertEquals("u.data", MovieLens.Dataset.ML_100K.ratingsFileName());
    }
}
