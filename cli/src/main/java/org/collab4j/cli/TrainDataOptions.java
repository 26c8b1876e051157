package org.collab4j.cli;

import org.collab4j.data.DuplicatePolicy;
import org.collab4j.data.ReadOptions;
import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.model.YRange;

import picocli.CommandLine.Option;

import java.io.PrintStream;

/**
 * How a {@code train} command reads and splits its data, whatever the source: {@code --duplicates} and
 * {@code --strict-range} become the {@link ReadOptions} every source reads with, {@code --valid-fraction} the
 * split when there is no separate validation data. The examples' {@code train} and the Spark app's {@code train}
 * mix it in.
 */
public class TrainDataOptions {

    /** {@code --valid-fraction}. */
    @Option(names = "--valid-fraction",
            description = "share of --ratings held out at random when there is no --valid (default: ${DEFAULT-VALUE})")
    public double validFraction = 0.2;

    /** {@code --duplicates}. */
    @Option(names = "--duplicates", paramLabel = "POLICY", description = "a user who rated an item more than once:"
            + " KEEP_ALL (every line is a rating), KEEP_LAST, MEAN or ERROR (default: ${DEFAULT-VALUE})")
    public DuplicatePolicy duplicates = DuplicatePolicy.KEEP_ALL;

    /** {@code --strict-range}. */
    @Option(names = "--strict-range", description = "refuse ratings outside --y-range (an error naming the line);"
            + " without it they are a warning. Needs --y-range (without it the range follows the ratings, so"
            + " nothing is outside it)")
    public boolean strictRange;

    /**
     * Refuses {@code --strict-range} without {@code --y-range} for a rating model: the range then follows the
     * ratings (issue 26), so no rating could lie outside it and the check would check nothing.
     *
     * @param range {@code --y-range} as given, or {@code null}
     * @throws IllegalArgumentException saying what to give
     */
    public void requireRangeForStrict(org.collab4j.model.YRange range) {
        if (strictRange && range == null) {
            throw new IllegalArgumentException("--strict-range checks ratings against --y-range: give --y-range"
                    + " LOW,HIGH too (e.g. 0,5.5 for 0.5-5 stars); without it the range follows the ratings, so none"
                    + " lies outside it");
        }
    }

    /**
     * Checks {@code --valid-fraction}, which applies only without separate validation data.
     *
     * @param separateValidation true when {@code --valid} was given
     * @throws IllegalArgumentException unless the fraction is strictly between 0 and 1
     */
    public void validate(boolean separateValidation) {
        if (!separateValidation && !(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException("--valid-fraction must be strictly between 0 and 1, e.g. 0.2, got "
                    + validFraction);
        }
    }

    /**
     * Returns the read options: {@code --duplicates}, and with {@code --strict-range} the model's range as the
     * rating range.
     *
     * @param range the model's y-range, or {@code null} when it has none (a ranking model: no range is checked)
     * @return the options every source of the command reads with
     */
    public ReadOptions readOptions(YRange range) {
        ReadOptions.Builder options = ReadOptions.builder().optDuplicates(duplicates);
        if (strictRange && range != null) {
            options.optRatingRange(range.low(), range.high());
        }
        return options.build();
    }

    /**
     * Returns the split: the two tables when there is separate validation data, else {@code --valid-fraction} of
     * {@code all} held out at random.
     *
     * @param all the ratings read from {@code --ratings}
     * @param valid the ratings read from {@code --valid}, or {@code null}
     * @param seed the seed of the random split
     * @return the split
     */
    public Split split(Ratings all, Ratings valid, long seed) {
        return valid != null ? Splits.combine(all, valid) : Splits.random(all, validFraction, seed);
    }

    /**
     * Warns about ratings the model's y-range cannot reach (an error with {@code --strict-range}, while reading).
     *
     * @param ratings the ratings read
     * @param source where they came from, for the message
     * @param range the model's y-range, or {@code null} for none
     * @param err where the warning goes
     */
    public static void warnOutside(Ratings ratings, String source, YRange range, PrintStream err) {
        if (range == null) {
            return;
        }
        int outside = 0;
        for (float r : ratings.ratingValues()) {
            if (r < range.low() || r > range.high()) {
                outside++;
            }
        }
        if (outside > 0) {
            err.println("warning: " + outside + " of " + ratings.size() + " ratings in " + source + " lie"
                    + " outside the y-range [" + range.low() + ", " + range.high() + "] (they span "
                    + ratings.minRating() + " to " + ratings.maxRating() + "): the model can never predict them."
                    + " Widen --y-range, or pass --strict-range to refuse such files.");
        }
    }

    /**
     * Returns the values as options, for tests that compare how two command lines parsed the same arguments.
     *
     * @return e.g. {@code --valid-fraction=0.2 --duplicates=KEEP_ALL --strict-range=false}
     */
    @Override
    public String toString() {
        return "--valid-fraction=" + validFraction + " --duplicates=" + duplicates + " --strict-range=" + strictRange;
    }
}
