package org.collab4j.examples;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.model.BlockKind;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Objectives;

import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code train --implicit}: turns the rows read from the ratings files into interactions with weights, and
 * checks the options that only make sense with (or without) {@code --implicit}.
 */
final class ImplicitData {

    /** The weight of a row below {@code --positive-threshold}, chosen on an inner split of S1's training part. */
    static final float DEFAULT_BELOW_THRESHOLD_WEIGHT = 0.3f;

    private final Float threshold;
    private final float belowWeight;

    private ImplicitData(Float threshold, float belowWeight) {
        this.threshold = threshold;
        this.belowWeight = belowWeight;
    }

    /** Checks the ranking options against each other and against the rating-model options the user gave. */
    static ImplicitData fromOptions(ParseResult parsed, Float threshold, float belowWeight, String loss,
            TrainingOptions training) {
        if (threshold != null && !Float.isFinite(threshold)) {
            throw new IllegalArgumentException("--positive-threshold must be a finite number, e.g. 4 for 4 stars"
                    + " and up, got " + threshold);
        }
        if (!(belowWeight >= 0 && belowWeight <= 1)) {
            throw new IllegalArgumentException("--below-threshold-weight must be in [0, 1] (0 drops the rows below"
                    + " --positive-threshold), got " + belowWeight);
        }
        if (parsed.hasMatchedOption("--below-threshold-weight") && threshold == null) {
            throw new IllegalArgumentException("--below-threshold-weight needs --positive-threshold: without a"
                    + " threshold every row is a positive of weight 1");
        }
        Objective objective = objective(loss);
        if (parsed.hasMatchedOption("--y-range")) {
            throw new IllegalArgumentException("--y-range squashes predicted ratings, but a ranking model (--implicit)"
                    + " scores items by raw dot products: drop --y-range, or drop --implicit to train a rating model");
        }
        if (parsed.hasMatchedOption("--strict-range")) {
            throw new IllegalArgumentException("--strict-range checks ratings against --y-range, which a ranking"
                    + " model (--implicit) has none of: drop it");
        }
        String block = TrainingOptions.blockOptionName(parsed);
        if (training.block == BlockKind.EMBEDDING_NET) {
            throw new IllegalArgumentException(block + " net trains ratings only: with --implicit use " + block
                    + " dot (iALS, BPR, softmax, WARP) or dotbias (BPR, softmax, WARP)");
        }
        if (objective instanceof Ials && parsed.hasMatchedOption("--block")
                && training.block != BlockKind.EMBEDDING_DOT) {
            throw new IllegalArgumentException("--loss ials trains " + block + " dot (factors only): drop " + block
                    + ", or use --loss bpr, softmax or warp for " + block + " dotbias");
        }
        if (objective instanceof org.collab4j.train.objective.Ease) {
            for (String option : new String[] {"--lr", "--optimizer", "--schedule", "--bs", "--wd", "--block",
                    "--model", "--factors", "--epochs", "--init-model"}) {
                if (parsed.hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " has no effect on --loss ease, an item-item model"
                            + " solved in closed form (no factors, epochs or optimizer): drop it");
                }
            }
        }
        if (objective instanceof Ials) {
            for (String option : new String[] {"--lr", "--optimizer", "--schedule", "--bs", "--wd"}) {
                if (parsed.hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " has no effect on iALS, which solves each row in"
                            + " closed form: drop it, or use --loss bpr, softmax or warp, which train with an"
                            + " optimizer");
                }
            }
        }
        return new ImplicitData(threshold, belowWeight);
    }

    /**
     * The weighting {@code train --implicit --positive-threshold T --below-threshold-weight W} applies.
     *
     * @param threshold T, or {@code null} for every row a positive
     * @param belowWeight W
     */
    static ImplicitData of(Float threshold, float belowWeight) {
        return new ImplicitData(threshold, belowWeight);
    }

    /**
     * The training weights of some rows as {@link #apply} gives them: at or above the threshold 1, below it
     * {@code --below-threshold-weight} (rows of weight 0 dropped); without a threshold each row's count (its value)
     * as a confidence, {@link org.collab4j.data.Interactions#confidence(Ratings)}.
     */
    Ratings weighTraining(Ratings ratings) {
        if (threshold == null) {
            return org.collab4j.data.Interactions.confidence(ratings);
        }
        return weigh(ratings, belowWeight);
    }

    /** Refuses the ranking options without {@code --implicit}. */
    static ImplicitData refuseWithoutImplicit(ParseResult parsed) {
        for (String option : new String[] {"--positive-threshold", "--below-threshold-weight", "--loss"}) {
            if (parsed.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " applies to ranking models: add --implicit");
            }
        }
        return null;
    }

    /** The ranking objectives' names, as {@code --loss} takes them: {@code ials, bpr, softmax or warp}. */
    static String rankingLosses() {
        List<String> names = Objectives.rankingNames();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** The objective {@code --loss} names, {@link Objective#defaultRanking()} when it is absent. */
    static Objective objective(String loss) {
        if (loss == null) {
            return Objective.defaultRanking();
        }
        Objective objective;
        try {
            objective = Objective.parse(loss);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--loss takes " + rankingLosses() + ", got '"
                    + (loss.length() > 40 ? loss.substring(0, 40) + "..." : loss) + "'");
        }
        if (!objective.isRanking()) {
            throw new IllegalArgumentException("--loss mse trains a rating model: drop --implicit and --loss");
        }
        return objective;
    }

    /**
     * The split with weights: training rows at or above the threshold weigh 1, rows below it
     * {@code --below-threshold-weight} (dropped at 0); validation rows below the threshold are dropped, the
     * others weigh 1. Without a threshold every validation row weighs 1 and every training row its count's
     * confidence ({@link #weighTraining}).
     */
    Split apply(Split split, Path trainFile, Path validFile) {
        Ratings train = weighTraining(split.train());
        Ratings valid = weigh(split.valid(), 0f);
        if (threshold != null && countAtLeast(split.train(), threshold) == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--positive-threshold %s leaves no"
                    + " positive in %s (its ratings span %s to %s): lower the threshold", threshold, trainFile,
                    split.train().minRating(), split.train().maxRating()));
        }
        if (valid.size() == 0 && split.valid().size() > 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--positive-threshold %s leaves no"
                    + " relevant row in the validation data (%s): lower the threshold", threshold, validFile));
        }
        return new Split(train, valid);
    }

    private Ratings weigh(Ratings ratings, float below) {
        int n = ratings.size();
        int[] users = ratings.userIndices();
        int[] items = ratings.itemIndices();
        float[] values = ratings.ratingValues();
        int kept = 0;
        for (int row = 0; row < n; row++) {
            float w = threshold == null || values[row] >= threshold ? 1f : below;
            if (w > 0) {
                users[kept] = users[row];
                items[kept] = items[row];
                values[kept] = w;
                kept++;
            }
        }
        return Ratings.ofIndices(ratings.users(), ratings.items(), java.util.Arrays.copyOf(users, kept),
                java.util.Arrays.copyOf(items, kept), java.util.Arrays.copyOf(values, kept));
    }

    private static int countAtLeast(Ratings ratings, float threshold) {
        int count = 0;
        for (float v : ratings.ratingValues()) {
            if (v >= threshold) {
                count++;
            }
        }
        return count;
    }

    /** Prints the sizes of the interaction data, as {@code train} does for ratings. */
    static void describe(Split split) {
        int positives = 0;
        for (float v : split.train().ratingValues()) {
            if (v >= 1f) {
                positives++;
            }
        }
        System.out.println("train " + split.train().size() + " interactions (" + positives + " positives), valid "
                + split.valid().size() + " relevant, " + split.train().users().size() + " users, "
                + split.train().items().size() + " items");
    }
}
