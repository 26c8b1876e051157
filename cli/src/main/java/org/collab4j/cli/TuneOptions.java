package org.collab4j.cli;

import org.collab4j.train.tune.TuneBudget;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/**
 * {@code --tune} and {@code --tune-budget DURATION}: training that chooses its own settings
 * ({@code org.collab4j.train.CollabTuner}). The examples' {@code train} mixes it in; the Spark app's {@code train}
 * does not (yet).
 */
public class TuneOptions {

    /** The options {@code --tune} chooses itself, which a command refuses beside it. */
    public static final String[] CHOSEN = {"--factors", "--epochs", "--lr", "--wd", "--optimizer", "--schedule",
        "--cycles", "--cycle-len", "--cycle-mult", "--bs", "--block", "--model", "--dropout"};

    /** {@code --tune}. */
    @Option(names = "--tune", description = "choose the settings on an inner split of --ratings (a fifth of each"
            + " user's positives with --implicit, a fifth of the rows without) by successive halving within"
            + " --tune-budget: the objective (with --implicit, unless --loss names one), factors, regularization,"
            + " learning rate, epochs and each objective's own settings; print every trial and the choice, then"
            + " refit the choice on all of --ratings (a rating model: --average models with those settings, 2 by"
            + " default, averaged into one as a plain train does; the budget keeps room for every fit). --valid, if"
            + " given, is only measured after the refit")
    public boolean tune;

    /** {@code --tune-budget}. */
    @Option(names = "--tune-budget", paramLabel = "DURATION", converter = BudgetConverter.class,
            description = "with --tune: the time for the search and the refit, e.g. 30s, 2m, 1m30s (default: 60s)")
    public Duration budget = TuneBudget.DEFAULT;

    /** Reads {@code --tune-budget} through {@link TuneBudget#parse}. */
    static final class BudgetConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return TuneBudget.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Refuses {@code --tune-budget} without {@code --tune}, and with {@code --tune} the options it chooses itself.
     *
     * @param parsed the command's parse result
     * @throws IllegalArgumentException naming the option
     */
    public void validate(ParseResult parsed) {
        if (!tune) {
            if (parsed.hasMatchedOption("--tune-budget")) {
                throw new IllegalArgumentException("--tune-budget applies with --tune: add --tune, or drop"
                        + " --tune-budget");
            }
            return;
        }
        for (String option : CHOSEN) {
            if (parsed.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " is chosen by --tune: drop " + option + ", or drop"
                        + " --tune to set it yourself");
            }
        }
    }

    @Override
    public String toString() {
        return "--tune=" + tune + " --tune-budget=" + TuneBudget.format(budget);
    }
}
