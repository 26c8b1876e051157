package org.collab4j.cli;

import org.collab4j.data.RatingsFormat;
import org.collab4j.util.Shown;

import picocli.CommandLine.Option;

/**
 * A delimited ratings file's layout on the command line: {@code --format} (a MovieLens preset) or {@code --sep}
 * with {@code --no-header} (columns user, item, rating), turned into one {@link RatingsFormat}. Every command of
 * the examples that reads ratings files by name mixes it in.
 */
public class RatingsFileOptions {

    /** {@code --format}. */
    @Option(names = "--format", description = "csv (MovieLens ratings.csv), tsv (ML-100k u.data) or dat"
            + " (ML-1M/10M ratings.dat) (default: ${DEFAULT-VALUE})")
    public String format = "csv";

    /** {@code --sep}: a custom delimiter, or {@code null} for {@code --format}. */
    @Option(names = "--sep", description = "a custom delimiter; columns are user, item, rating")
    public String separator;

    /** {@code --no-header}. */
    @Option(names = "--no-header", description = "with --sep: the file has no header line")
    public boolean noHeader;

    /**
     * Checks {@code --sep} before any file is opened.
     *
     * @throws IllegalArgumentException if the delimiter is empty or holds a quote or a line break
     */
    public void validate() {
        if (separator != null && (separator.isEmpty() || separator.contains("\"") || separator.contains("\n")
                || separator.contains("\r"))) {
            throw new IllegalArgumentException("--sep must be a delimiter such as , or ; or a tab, without quotes or"
                    + " line breaks, got " + Shown.quoted(separator) + "; e.g. --sep ';'");
        }
    }

    /**
     * Returns the layout: {@code --sep} and {@code --no-header} when a delimiter is given, else the
     * {@code --format} preset.
     *
     * @return the format
     * @throws IllegalArgumentException for an unknown {@code --format} or an unusable {@code --sep}
     */
    public RatingsFormat ratingsFormat() {
        validate();
        return separator != null
                ? RatingsFormat.builder().setDelimiter(separator).optHeader(!noHeader).build()
                : RatingsFormat.forName(format);
    }

    /**
     * Returns the values as options, for tests that compare how two command lines parsed the same arguments.
     *
     * @return e.g. {@code --format=csv --sep=null --no-header=false}
     */
    @Override
    public String toString() {
        return "--format=" + format + " --sep=" + separator + " --no-header=" + noHeader;
    }
}
