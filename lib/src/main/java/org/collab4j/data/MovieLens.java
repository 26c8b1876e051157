package org.collab4j.data;

import ai.djl.training.util.ProgressBar;
import ai.djl.util.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a MovieLens dataset from GroupLens once and keeps it in a cache directory.
 *
 * <pre>{@code
 * Ratings ratings = MovieLens.builder().build().load(); // ml-latest-small, 100,836 ratings
 * }</pre>
 *
 * <p>{@link #prepare()} downloads the archive, checks its SHA-256, extracts it and only then moves
 * the extracted directory into {@code <cache>/<dataset>/} in one step, with a marker file inside: an
 * interrupted download never leaves a directory that looks complete. Later calls find the marker and
 * do nothing.
 *
 * <p>The MovieLens datasets are published by GroupLens for research use and may not be used
 * commercially or redistributed except under their licence; see the {@code README} in each archive.
 */
public final class MovieLens {

    /** The file written into a dataset directory after a complete extraction. */
    static final String MARKER = ".collab4j-complete";

    private static final Logger logger = LoggerFactory.getLogger(MovieLens.class);
    private static final int CONNECT_TIMEOUT_MS = 30_000;
    private static final int READ_TIMEOUT_MS = 60_000;

    /**
     * The MovieLens datasets that {@link MovieLens} knows how to download and read. Each archive's SHA-256 is the
     * one TensorFlow Datasets records for the same GroupLens URL
     * (github.com/tensorflow/datasets, tensorflow_datasets/url_checksums/movielens.txt at commit
     * 1c076ac3c19c8ea83e1d1a75e0623c9a699e0d7c, which also lists ml-latest-small's checksum as we measured it on
     * the archive itself).
     */
    public enum Dataset {
        /** ml-latest-small: 100,836 ratings of 9,724 movies by 610 users, 0.5 to 5 stars. */
        LATEST_SMALL(
                "ml-latest-small",
                "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
                "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
                "ratings.csv",
                RatingsFormat.MOVIELENS_CSV),
        /** ml-100k: 100,000 ratings of 1,682 movies by 943 users, 1 to 5 stars. */
        ML_100K(
                "ml-100k",
                "https://files.grouplens.org/datasets/movielens/ml-100k.zip",
                "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
                "u.data",
                RatingsFormat.ML_100K),
        /** ml-1m: 1,000,209 ratings of about 3,700 movies by 6,040 users, 1 to 5 stars. */
        ML_1M(
                "ml-1m",
                "https://files.grouplens.org/datasets/movielens/ml-1m.zip",
                "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20",
                "ratings.dat",
                RatingsFormat.ML_DAT),
        /** ml-25m: 25,000,095 ratings of 59,047 movies by 162,541 users, 0.5 to 5 stars. */
        ML_25M(
                "ml-25m",
                "https://files.grouplens.org/datasets/movielens/ml-25m.zip",
                "8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa",
                "ratings.csv",
                RatingsFormat.MOVIELENS_CSV);

        private final String directoryName;
        private final URI url;
        private final String sha256;
        private final String ratingsFileName;
        private final RatingsFormat format;

        Dataset(String directoryName, String url, String sha256, String ratingsFileName, RatingsFormat format) {
            this.directoryName = directoryName;
            this.url = URI.create(url);
            this.sha256 = sha256;
            this.ratingsFileName = ratingsFileName;
            this.format = format;
        }

        /**
         * Returns the name of the dataset's directory in the cache, e.g. {@code ml-latest-small}.
         *
         * @return the directory name
         */
        public String directoryName() {
            return directoryName;
        }

        /**
         * Returns where GroupLens publishes the archive.
         *
         * @return the archive's URL
         */
        public URI url() {
            return url;
        }

        /**
         * Returns the archive's SHA-256 as lowercase hex.
         *
         * @return the checksum; every dataset has one, and a download that does not match it is refused
         */
        public String sha256() {
            return sha256;
        }

        /**
         * Returns the name of the ratings file inside the extracted dataset, e.g. {@code ratings.csv}.
         *
         * @return the file name
         */
        public String ratingsFileName() {
            return ratingsFileName;
        }

        /**
         * Returns the layout of the ratings file.
         *
         * @return the ratings format
         */
        public RatingsFormat format() {
            return format;
        }
    }

    private final Dataset dataset;
    private final Path cacheDir;
    private final URI url;
    private final String sha256;
    private final boolean progress;

    private MovieLens(Builder builder) {
        dataset = builder.dataset;
        cacheDir = builder.cacheDir;
        url = builder.url;
        sha256 = builder.sha256;
        progress = builder.progress;
    }

    /**
     * Returns a builder; every setting has a default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the cache directory used when none is set: {@code $COLLAB4J_CACHE_DIR} if that
     * environment variable is set, else {@code ~/.collab4j/datasets}.
     *
     * @return the default cache directory
     */
    public static Path defaultCacheDir() {
        String env = System.getenv("COLLAB4J_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".collab4j", "datasets");
    }

    /**
     * Makes sure the dataset is in the cache, downloading and extracting it if it is not.
     *
     * @return the dataset directory, {@code <cache>/<dataset>/}, holding the archive's files without
     *     its top-level folder
     * @throws IOException if the download fails, the checksum does not match, the archive is
     *     malformed, unsafe or lacks the ratings file, or the dataset directory exists but is
     *     incomplete
     */
    public Path prepare() throws IOException {
        Path target = cacheDir.resolve(dataset.directoryName());
        if (Files.exists(cacheDir) && !Files.isDirectory(cacheDir)) {
            throw new DownloadException(url, cacheDir, "the cache folder " + cacheDir + " is a file, not a folder",
                    "move that file away, or choose another cache folder (optCacheDir, or the environment"
                            + " variable COLLAB4J_CACHE_DIR)", null);
        }
        if (Files.isRegularFile(target.resolve(MARKER))) {
            logger.debug("{} is already in {}", dataset.directoryName(), target);
            return target;
        }
        if (Files.exists(target)) {
            throw new IOException(target + " exists but is not a complete download (it has no " + MARKER
                    + " file); delete it and call prepare() again");
        }
        Path zip;
        try {
            Files.createDirectories(cacheDir);
            zip = Files.createTempFile(cacheDir, dataset.directoryName() + "-", ".zip.part");
        } catch (IOException e) {
            throw new DownloadException(url, cacheDir, "the cache folder " + cacheDir + " cannot be written ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", "choose a writable cache folder"
                    + " (optCacheDir, or the environment variable COLLAB4J_CACHE_DIR)", e);
        }
        Path extracted = null;
        try {
            String actualSha256;
            try {
                actualSha256 = download(zip);
            } catch (DownloadException e) {
                throw e;
            } catch (StoreException e) {
                // Writing failed, not the network: a full disk must not send the user to check the connection.
                throw storeFailure(zip, (IOException) e.getCause());
            } catch (IOException e) {
                throw new DownloadException(url, datasetDir(), networkReason(e), "check the network connection and try"
                        + " again, or download " + url + " yourself and pass it with optUrl(Path.of(\""
                        + dataset.directoryName() + ".zip\").toUri())", e);
            }
            extracted = Files.createTempDirectory(cacheDir, dataset.directoryName() + "-");
            try {
                ZipExtractor.extract(zip, extracted, url.toString());
            } catch (java.util.zip.ZipException e) {
                throw new DownloadException(url, datasetDir(), "the download is not a readable zip archive ("
                        + e.getMessage() + ")", "try again; if it keeps failing, the server sends something else"
                        + " (an error page?)", e);
            } catch (java.nio.file.FileSystemException e) {
                throw storeFailure(extracted, e); // a full disk while extracting
            }
            if (!Files.isRegularFile(extracted.resolve(dataset.ratingsFileName()))) {
                throw new IOException("the archive from " + url + " has no " + dataset.ratingsFileName()
                        + " (after removing its top-level folder); is it the " + dataset.directoryName()
                        + " archive?");
            }
            String provenance = "url=" + url + "\nsha256=" + actualSha256 + "\n";
            Files.writeString(extracted.resolve(MARKER), provenance, StandardCharsets.UTF_8);
            if (moveIntoPlace(extracted, target)) {
                extracted = null;
            }
            logger.info("{} is ready in {}", dataset.directoryName(), target);
            return target;
        } finally {
            Files.deleteIfExists(zip);
            if (extracted != null) {
                ZipExtractor.deleteRecursively(extracted);
            }
        }
    }

    /**
     * Returns the ratings file, downloading the dataset first if needed.
     *
     * @return the path of the ratings file, e.g. {@code <cache>/ml-latest-small/ratings.csv}
     * @throws IOException if {@link #prepare()} fails
     */
    public Path ratingsFile() throws IOException {
        return prepare().resolve(dataset.ratingsFileName());
    }

    /**
     * Reads the ratings, downloading the dataset first if needed.
     *
     * @return the ratings, with timestamps
     * @throws IOException if {@link #prepare()} fails or the file cannot be read
     */
    public Ratings load() throws IOException {
        return Ratings.read(ratingsFile(), dataset.format());
    }

    /**
     * Returns the settings, e.g. {@code MovieLens[dataset=ml-latest-small, url=https://..., cache=...]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "MovieLens[dataset=" + dataset.directoryName() + ", url=" + url + ", cache=" + cacheDir + "]";
    }

    /** Downloads to {@code zip} and checks the checksum; returns the actual SHA-256. */
    private String download(Path zip) throws IOException {
        logger.info("Downloading {} from {}", dataset.directoryName(), url);
        URLConnection connection = toUrl().openConnection();
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(READ_TIMEOUT_MS);
        if (connection instanceof HttpURLConnection) {
            HttpURLConnection http = (HttpURLConnection) connection;
            if (http.getResponseCode() != HttpURLConnection.HTTP_OK) {
                throw new DownloadException(url, datasetDir(), "the server answered HTTP "
                        + http.getResponseCode() + " " + http.getResponseMessage(), "check the URL, or try again later", null);
            }
        }
        long length = connection.getContentLengthLong();
        MessageDigest digest = sha256Digest();
        Progress bar = progress && length > 0 ? new ProgressBar() : null;
        if (bar != null) {
            bar.reset("Downloading", length); // DJL shortens longer messages
        }
        try (InputStream in = connection.getInputStream();
                OutputStream out = new StoringStream(zip)) {
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                done += n;
                if (bar != null) {
                    bar.update(done);
                }
            }
        } finally {
            if (bar != null) {
                bar.end();
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (sha256 == null) {
            // Only an explicit optSha256(null) gets here: the caller chose not to verify.
            logger.warn("The download of {} from {} is not verified (optSha256(null)); its SHA-256 is {}",
                    dataset.directoryName(), url, actual);
        } else if (!sha256.equalsIgnoreCase(actual)) {
            throw new DownloadException(url, datasetDir(), "SHA-256 mismatch: expected " + sha256 + ", found " + actual
                    + " (the download is corrupt or the file has changed)", "try again, or pass the new checksum"
                    + " with optSha256(...) if you trust the source", null);
        }
        return actual;
    }

    /** A failure to store the download (a full disk, a quota, a read-only folder), in words that say so. */
    private DownloadException storeFailure(Path file, IOException cause) {
        return new DownloadException(url, datasetDir(), "the download cannot be stored in " + cacheDir + ": "
                + org.collab4j.util.OutputFiles.failure(file, cause).problem(), "free some space, or choose another"
                + " cache folder (optCacheDir, or the environment variable COLLAB4J_CACHE_DIR)", cause);
    }

    /** A failure to write the download to the disk, told apart from a failure to read it from the network. */
    private static final class StoreException extends IOException {

        private static final long serialVersionUID = 1L;

        StoreException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The download's file, whose every failure (open, write, close) is a {@link StoreException}. */
    private static final class StoringStream extends OutputStream {

        private final OutputStream out;

        StoringStream(Path file) throws StoreException {
            try {
                out = Files.newOutputStream(file);
            } catch (IOException e) {
                throw new StoreException(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new StoreException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new StoreException(e);
            }
        }
    }

    /** The folder the dataset goes into, named in download errors. */
    private Path datasetDir() {
        return cacheDir.resolve(dataset.directoryName());
    }

    /** A network failure in words: offline, refused, timed out, or the exception's own. */
    private static String networkReason(IOException e) {
        if (e instanceof java.net.UnknownHostException) {
            return "the host " + e.getMessage() + " cannot be found (is this machine offline?)";
        }
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused or failed (" + e.getMessage() + ")";
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "the server did not answer in time (" + e.getMessage() + ")";
        }
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.FileNotFoundException) {
            return "there is no file " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Thrown when a dataset cannot be downloaded or stored: the message names the URL and the file or folder
     * involved, says why (offline, refused, timed out, HTTP status, a checksum mismatch, not a zip archive, a
     * cache folder that is a file) and what to do.
     */
    public static final class DownloadException extends IOException {

        private static final long serialVersionUID = 1L;

        private final String url;
        private final String file;
        private final String reason;

        DownloadException(URI url, Path file, String reason, String advice, Throwable cause) {
            super("could not download " + url + " to " + file + ": " + reason + "; " + advice, cause);
            this.url = url.toString();
            this.file = file.toString();
            this.reason = reason;
        }

        /**
         * Returns the URL being downloaded.
         *
         * @return the URL
         */
        public URI url() {
            return URI.create(url);
        }

        /**
         * Returns the file or folder involved: the partial download, or the cache folder.
         *
         * @return the path
         */
        public Path file() {
            return Path.of(file);
        }

        /**
         * Returns why, without advice, e.g. {@code the host files.grouplens.org cannot be found (is this machine
         * offline?)}.
         *
         * @return the reason
         */
        public String reason() {
            return reason;
        }
    }

    private URL toUrl() throws IOException {
        try {
            return url.toURL();
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot download from " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames {@code extracted} to {@code target} in one step where the file system can. Returns false
     * if another process completed the same dataset first, in which case {@code extracted} is left for
     * the caller to delete.
     */
    private static boolean moveIntoPlace(Path extracted, Path target) throws IOException {
        try {
            try {
                Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(extracted, target);
            }
            return true;
        } catch (FileSystemException e) {
            if (Files.isRegularFile(target.resolve(MARKER))) {
                logger.info("{} was completed by another process meanwhile", target);
                return false;
            }
            throw e;
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }

    /** Collects the settings of a {@link MovieLens} downloader; {@link #build()} checks them. */
    public static final class Builder {

        private Dataset dataset = Dataset.LATEST_SMALL;
        private Path cacheDir;
        private URI url;
        private String sha256;
        private boolean sha256Set;
        private boolean progress = true;

        Builder() {}

        /**
         * Sets the dataset. Default: {@link Dataset#LATEST_SMALL}.
         *
         * @param dataset the dataset
         * @return this builder
         */
        public Builder optDataset(Dataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /**
         * Sets the cache directory. Default: {@link MovieLens#defaultCacheDir()}.
         *
         * @param cacheDir the directory under which each dataset gets its own folder
         * @return this builder
         */
        public Builder optCacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /**
         * Sets where to download the archive from, e.g. a mirror or a {@code file:} URL of an archive
         * already on disk. Default: the dataset's {@link Dataset#url()}.
         *
         * @param url an {@code http}, {@code https} or {@code file} URL
         * @return this builder
         */
        public Builder optUrl(URI url) {
            this.url = url;
            return this;
        }

        /**
         * Sets the expected SHA-256 of the archive, for an archive other than the one GroupLens
         * publishes. Default: the dataset's {@link Dataset#sha256()}.
         *
         * @param sha256 64 hex digits, or null to skip the check (a warning is logged)
         * @return this builder
         */
        public Builder optSha256(String sha256) {
            this.sha256 = sha256;
            this.sha256Set = true;
            return this;
        }

        /**
         * Sets whether to show a progress bar while downloading (when the size is known). Default:
         * true.
         *
         * @param progress true to show progress
         * @return this builder
         */
        public Builder optProgress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Checks the settings and builds the downloader.
         *
         * @return the downloader
         * @throws IllegalArgumentException if the dataset is null, the URL is not absolute, or the
         *     checksum is not 64 hex digits
         */
        public MovieLens build() {
            if (dataset == null) {
                throw new IllegalArgumentException(
                        "dataset is null; pass one of " + Arrays.toString(Dataset.values()) + " to optDataset");
            }
            if (cacheDir == null) {
                cacheDir = defaultCacheDir();
            }
            if (url == null) {
                url = dataset.url();
            }
            if (!url.isAbsolute()) {
                throw new IllegalArgumentException(
                        "the URL " + url + " has no scheme; use e.g. https://... or " + Path.of("archive.zip")
                                .toAbsolutePath().toUri());
            }
            if (!sha256Set) {
                sha256 = dataset.sha256();
            } else if (sha256 != null) {
                sha256 = sha256.trim().toLowerCase(Locale.ROOT);
                if (!sha256.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException(
                            "the SHA-256 \"" + sha256 + "\" is not 64 hex digits; pass null to skip the check");
                }
            }
            return new MovieLens(this);
        }
    }
}
