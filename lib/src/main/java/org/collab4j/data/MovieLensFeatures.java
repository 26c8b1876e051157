package org.collab4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ready-made readings of MovieLens's feature files into {@link FeatureTable}s — the documented default for those
 * files, which {@link #forFile} picks by file name:
 *
 * <table>
 *   <caption>MovieLens feature files</caption>
 *   <tr><th>file</th><th>ids</th><th>features</th></tr>
 *   <tr><td>{@code movies.csv}</td><td>{@code movieId}</td><td>{@code genre=Comedy} per genre of {@code genres}
 *       ({@code (no genres listed)} gives none); from the title's trailing {@code (1995)}: {@code year} (numeric,
 *       standardised) and {@code decade=1990s}; a title without a year gives {@code year=<missing>} and no
 *       decade</td></tr>
 *   <tr><td>{@code tags.csv}</td><td>{@code movieId}</td><td>{@code tag=funny} per distinct tag of the movie
 *       (lower-cased and trimmed, any user), tags on fewer than {@code minCount} movies pooled into
 *       {@code tag=<other>}</td></tr>
 *   <tr><td>ML-100k {@code u.item}</td><td>movie id</td><td>{@code genre=...} per genre flag set (the names of
 *       {@code movies.csv}: {@code Children's} is {@code Children}; the {@code unknown} flag gives none), and
 *       {@code year} and {@code decade} from the title as for {@code movies.csv}</td></tr>
 *   <tr><td>ML-100k {@code u.user}</td><td>user id</td><td>{@code age} (numeric), {@code age_group=25-34}
 *       (MovieLens-1M's groups), {@code gender=M}, {@code occupation=technician}, {@code zip_region=8} (the zip
 *       code's first digit; {@code non-numeric} for a foreign code)</td></tr>
 * </table>
 *
 * <p>Both the year and the decade are read from a title: the year as a number lets a model place a film on a line
 * of time with one feature, the decade lets it learn what a number cannot (the 1980s apart from both the 1970s and
 * the 1990s); a hybrid model's mean of feature vectors uses both.
 */
public final class MovieLensFeatures {

    /**
     * The {@code tags.csv} reading's default minimum count, 2: a tag on one movie only can tell a model nothing
     * about any other movie (it is that movie's id again), and such tags are most of them — in ml-latest-small 933
     * of 1,475 distinct tags.
     */
    public static final int DEFAULT_TAG_MIN_COUNT = 2;

    /** ML-100k's genre flags, columns 5 to 23 of {@code u.item}, named as in {@code movies.csv}. */
    static final List<String> U_ITEM_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");

    /** A title's trailing year, {@code (1995)}, or the first year of a range, {@code (2006–2007)}. */
    private static final Pattern TITLE_YEAR = Pattern.compile("\\((\\d{4})(?:\\s*[-\u2013]\\s*\\d{0,4})?\\)\\s*$");

    private MovieLensFeatures() {}

    /**
     * Reads MovieLens's {@code movies.csv} ({@code movieId,title,genres}): genres, year and decade.
     *
     * @param moviesCsv the file
     * @return the movies' features
     * @throws FeatureFileException if the file does not have that layout (line and column named)
     * @throws IOException if it cannot be read
     */
    public static FeatureTable movies(Path moviesCsv) throws IOException {
        return moviesFormat().read(moviesCsv);
    }

    /**
     * Reads MovieLens's {@code tags.csv} ({@code userId,movieId,tag,timestamp}): each movie's distinct tags.
     *
     * @param tagsCsv the file
     * @param minCount the fewest movies a tag needs to keep its own feature ({@link #DEFAULT_TAG_MIN_COUNT})
     * @return the movies' tags
     * @throws FeatureFileException if the file does not have that layout (line and column named)
     * @throws IOException if it cannot be read
     */
    public static FeatureTable tags(Path tagsCsv, int minCount) throws IOException {
        return tagsFormat(minCount).read(tagsCsv);
    }

    /**
     * Reads ML-100k's {@code u.item} ({@code |}-separated, ISO-8859-1, no header): genre flags, year and decade.
     *
     * @param uItem the file
     * @return the movies' features
     * @throws FeatureFileException if the file does not have that layout (line and column named)
     * @throws IOException if it cannot be read
     */
    public static FeatureTable uItem(Path uItem) throws IOException {
        return uItemFormat().read(uItem);
    }

    /**
     * Reads ML-100k's {@code u.user} ({@code user id|age|gender|occupation|zip code}): age, age group, gender,
     * occupation and zip region.
     *
     * @param uUser the file
     * @return the users' features
     * @throws FeatureFileException if the file does not have that layout (line and column named)
     * @throws IOException if it cannot be read
     */
    public static FeatureTable uUser(Path uUser) throws IOException {
        return uUserFormat().read(uUser);
    }

    /**
     * Reads a MovieLens feature file by its name: {@code movies.csv}, {@code tags.csv} (with
     * {@link #DEFAULT_TAG_MIN_COUNT}), {@code u.item} or {@code u.user}.
     *
     * @param file the file
     * @return its features
     * @throws IllegalArgumentException if the name is none of those
     * @throws IOException if it cannot be read
     */
    public static FeatureTable forFile(Path file) throws IOException {
        return formatFor(file).orElseThrow(() -> new IllegalArgumentException(
                "cannot tell how to read " + file + ": MovieLens's feature files are movies.csv, tags.csv, u.item"
                        + " and u.user; describe any other file's columns with a FeatureFormat")).read(file);
    }

    /**
     * The reading {@link #forFile} uses for a file's name, to adjust it (e.g. {@link FeatureFormat#withMinCount}).
     *
     * @param file the file (only its name is looked at, without regard to case)
     * @return the format, or empty when the name is not one of MovieLens's feature files
     */
    public static Optional<FeatureFormat> formatFor(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.toString().toLowerCase(Locale.ROOT)) {
            case "movies.csv" -> Optional.of(moviesFormat());
            case "tags.csv" -> Optional.of(tagsFormat(DEFAULT_TAG_MIN_COUNT));
            case "u.item" -> Optional.of(uItemFormat());
            case "u.user" -> Optional.of(uUserFormat());
            default -> Optional.empty();
        };
    }

    /** @return the layout of {@code movies.csv} that {@link #movies} reads */
    public static FeatureFormat moviesFormat() {
        return FeatureFormat.builder()
                .setIdColumn("movieId")
                .addColumn(FeatureColumn.multiValued("genres", "|").named("genre")
                        .mapped(g -> g.equals("(no genres listed)") ? null : g))
                .addColumn(FeatureColumn.numeric("title").named("year").mapped(MovieLensFeatures::titleYear))
                .addColumn(FeatureColumn.categorical("title").named("decade").mapped(MovieLensFeatures::decade))
                .build();
    }

    /**
     * The layout of {@code tags.csv} that {@link #tags} reads.
     *
     * @param minCount the fewest movies a tag needs to keep its own feature
     * @return the format
     */
    public static FeatureFormat tagsFormat(int minCount) {
        return FeatureFormat.builder()
                .setIdColumn("movieId")
                .addColumn(FeatureColumn.categorical("tag").mapped(t -> t.trim().toLowerCase(Locale.ROOT)))
                .optRowsAccumulate(true)
                .optMinCount(minCount)
                .build();
    }

    /** @return the layout of {@code u.item} that {@link #uItem} reads */
    public static FeatureFormat uItemFormat() {
        FeatureFormat.Builder format = FeatureFormat.builder()
                .setIdColumn(0)
                .optHeader(false)
                .optDelimiter('|')
                .optQuote(null)
                .optCharset(StandardCharsets.ISO_8859_1);
        for (int g = 0; g < U_ITEM_GENRES.size(); g++) {
            String genre = U_ITEM_GENRES.get(g);
            format.addColumn(FeatureColumn.categorical(5 + g).named("genre").mapped(flag -> {
                if (flag.equals("1")) {
                    return genre.equals("unknown") ? null : genre;
                }
                if (flag.equals("0")) {
                    return null;
                }
                throw new IllegalArgumentException("expected a genre flag, 0 or 1");
            }));
        }
        return format
                .addColumn(FeatureColumn.numeric(1).named("year").mapped(MovieLensFeatures::titleYear))
                .addColumn(FeatureColumn.categorical(1).named("decade").mapped(MovieLensFeatures::decade))
                .build();
    }

    /** @return the layout of {@code u.user} that {@link #uUser} reads */
    public static FeatureFormat uUserFormat() {
        return FeatureFormat.builder()
                .setIdColumn(0)
                .optHeader(false)
                .optDelimiter('|')
                .optQuote(null)
                .optCharset(StandardCharsets.ISO_8859_1)
                .addColumn(FeatureColumn.numeric(1).named("age"))
                .addColumn(FeatureColumn.categorical(1).named("age_group").mapped(MovieLensFeatures::ageGroup))
                .addColumn(FeatureColumn.categorical(2).named("gender"))
                .addColumn(FeatureColumn.categorical(3).named("occupation"))
                .addColumn(FeatureColumn.categorical(4).named("zip_region").mapped(zip ->
                        Character.isDigit(zip.charAt(0)) ? zip.substring(0, 1) : "non-numeric"))
                .build();
    }

    /**
     * The year at the end of a MovieLens title: {@code Toy Story (1995)} gives {@code 1995}, a range
     * {@code (2006–2007)} its first year.
     *
     * @param title the title
     * @return the year, or null when the title does not end in one
     */
    public static String titleYear(String title) {
        Matcher m = TITLE_YEAR.matcher(title);
        return m.find() ? m.group(1) : null;
    }

    /** The decade of a title's year, {@code 1990s}, or null. */
    static String decade(String title) {
        String year = titleYear(title);
        return year == null ? null : year.substring(0, 3) + "0s";
    }

    /** MovieLens-1M's age groups, from an age in years. */
    static String ageGroup(String age) {
        int years;
        try {
            years = Integer.parseInt(age);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an age in whole years");
        }
        if (years < 18) {
            return "<18";
        }
        if (years < 25) {
            return "18-24";
        }
        if (years < 35) {
            return "25-34";
        }
        if (years < 45) {
            return "35-44";
        }
        if (years < 50) {
            return "45-49";
        }
        return years < 56 ? "50-55" : "56+";
    }
}
