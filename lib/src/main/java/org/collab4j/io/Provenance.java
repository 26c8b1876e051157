package org.collab4j.io;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a model was trained, kept with it so that a saved model can say where it came from: the seed, batch size,
 * optimizer, every fit's schedule, the epoch table, the device it actually trained on, the DJL and PyTorch
 * versions, and the amount of data.
 *
 * <p>It is plain data, built by whoever trained the model ({@code CollabLearner#fittedModel()} fills every field)
 * and read back from a model file without the training code. Fields a model built outside
 * {@code CollabLearner} cannot know are {@code null} (boxed fields) or empty
 * (lists).
 *
 * @param model the block, as its {@code toString} shows it
 * @param seed the random seed, or {@code null}
 * @param batchSize the batch size, or {@code null}
 * @param optimizer the optimizer, as its {@code toString} shows it (e.g. {@code AdamW(beta2=0.99, eps=1.0E-5,
 *     wd=0.1)}), or {@code null}
 * @param weightDecay the optimizer's weight decay, or {@code null}
 * @param fits every fit call, oldest first
 * @param history every epoch trained, oldest first
 * @param device the device trained on, e.g. {@code cpu()}, or {@code null}
 * @param deviceReason why that device was chosen, or {@code null}
 * @param djlVersion the DJL version, e.g. {@code 0.25.0}, or {@code null}
 * @param engineVersion the PyTorch version, e.g. {@code 2.0.1}, or {@code null}
 * @param trainRatings the number of training ratings
 * @param validRatings the number of validation ratings (0 when there were none)
 * @param createdAt when the model was snapshotted, ISO-8601 (e.g. {@code 2026-11-23T07:30:00Z}), or
 *     {@code null}
 * @param trainingStep the training step and why it was chosen ({@link org.collab4j.train.step.StepPlan}), e.g.
 *     {@code device (no host step: ...)}, or {@code null} (models saved before it was recorded, or trained
 *     outside {@code CollabLearner})
 */
public record Provenance(
        String model,
        Long seed,
        Integer batchSize,
        String optimizer,
        Float weightDecay,
        List<Fit> fits,
        List<Epoch> history,
        String device,
        String deviceReason,
        String djlVersion,
        String engineVersion,
        int trainRatings,
        int validRatings,
        String createdAt,
        String trainingStep,
        Tuning tuning) {

    /**
     * Creates a provenance; {@code null} lists become empty and lists are copied.
     *
     * @param model the block's description
     * @param seed the seed, or {@code null}
     * @param batchSize the batch size, or {@code null}
     * @param optimizer the optimizer's description, or {@code null}
     * @param weightDecay the weight decay, or {@code null}
     * @param fits the fits, oldest first; {@code null} for none
     * @param history the epochs, oldest first; {@code null} for none
     * @param device the device, or {@code null}
     * @param deviceReason why that device, or {@code null}
     * @param djlVersion the DJL version, or {@code null}
     * @param engineVersion the PyTorch version, or {@code null}
     * @param trainRatings the number of training ratings
     * @param validRatings the number of validation ratings
     * @param createdAt when, ISO-8601, or {@code null}
     * @param trainingStep the training step and why, or {@code null}
     * @param tuning the search that chose the settings, or {@code null}
     */
    public Provenance {
        fits = fits == null ? List.of() : List.copyOf(fits);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /**
     * Creates a provenance without tuning.
     *
     * @param model the block's description
     * @param seed the seed, or {@code null}
     * @param batchSize the batch size, or {@code null}
     * @param optimizer the optimizer's description, or {@code null}
     * @param weightDecay the weight decay, or {@code null}
     * @param fits the fits, oldest first; {@code null} for none
     * @param history the epochs, oldest first; {@code null} for none
     * @param device the device, or {@code null}
     * @param deviceReason why that device, or {@code null}
     * @param djlVersion the DJL version, or {@code null}
     * @param engineVersion the PyTorch version, or {@code null}
     * @param trainRatings the number of training ratings
     * @param validRatings the number of validation ratings
     * @param createdAt when, ISO-8601, or {@code null}
     * @param trainingStep the training step and why, or {@code null}
     */
    public Provenance(String model, Long seed, Integer batchSize, String optimizer, Float weightDecay,
            List<Fit> fits, List<Epoch> history, String device, String deviceReason, String djlVersion,
            String engineVersion, int trainRatings, int validRatings, String createdAt, String trainingStep) {
        this(model, seed, batchSize, optimizer, weightDecay, fits, history, device, deviceReason, djlVersion,
                engineVersion, trainRatings, validRatings, createdAt, trainingStep, null);
    }

    /**
     * Returns this provenance with the search that chose its settings.
     *
     * @param search the search, or {@code null} for none
     * @return a copy with {@link #tuning()} set
     */
    public Provenance withTuning(Tuning search) {
        return new Provenance(model, seed, batchSize, optimizer, weightDecay, fits, history, device, deviceReason,
                djlVersion, engineVersion, trainRatings, validRatings, createdAt, trainingStep, search);
    }

    /**
     * The hyperparameter search that chose a model's settings on an inner split of its training data: every trial
     * and the choice, which the model was then refit with on all of that data.
     *
     * @param metric the inner validation figure, e.g. {@code ndcg@10} or {@code rmse}
     * @param higherIsBetter whether a larger figure is better
     * @param budgetSeconds the time budget
     * @param seconds the search's seconds, the refit not included
     * @param trials every trial, in the order they ran
     * @param chosen the number of the chosen trial ({@link Trial#number()}), or 0 for none
     * @param choice the settings refit, as they were given to the learner, e.g.
     *     {@code ials factors=128 alpha0=0.3 lambda=0.01 epochs=12}
     * @param refitModels how many models the refit trained with those settings and averaged into the one saved
     *     (a seed average, {@code org.collab4j.train.SeedAverage}: seeds {@code seed}, {@code seed + 1}, …), 1 for
     *     a single fit
     */
    public record Tuning(String metric, boolean higherIsBetter, double budgetSeconds, double seconds,
            List<Trial> trials, int chosen, String choice, int refitModels) {

        /**
         * Copies the list.
         *
         * @param metric the figure's name
         * @param higherIsBetter the direction
         * @param budgetSeconds the budget
         * @param seconds the search's seconds
         * @param trials the trials
         * @param chosen the chosen trial's number
         * @param choice the settings refit
         * @param refitModels the models the refit averaged, at least 1
         * @throws IllegalArgumentException if {@code refitModels < 1}
         */
        public Tuning {
            trials = trials == null ? List.of() : List.copyOf(trials);
            if (refitModels < 1) {
                throw new IllegalArgumentException("a refit trains at least 1 model, got " + refitModels);
            }
        }

        /**
         * A search whose choice is refit as one model.
         *
         * @param metric the figure's name
         * @param higherIsBetter the direction
         * @param budgetSeconds the budget
         * @param seconds the search's seconds
         * @param trials the trials
         * @param chosen the chosen trial's number
         * @param choice the settings refit
         */
        public Tuning(String metric, boolean higherIsBetter, double budgetSeconds, double seconds, List<Trial> trials,
                int chosen, String choice) {
            this(metric, higherIsBetter, budgetSeconds, seconds, trials, chosen, choice, 1);
        }

        /**
         * This search with another number of refit models.
         *
         * @param models the models the refit averages, at least 1
         * @return a copy with {@link #refitModels()} set
         */
        public Tuning withRefitModels(int models) {
            return new Tuning(metric, higherIsBetter, budgetSeconds, seconds, trials, chosen, choice, models);
        }

        /**
         * One trial of the search.
         *
         * @param number its number, from 1
         * @param rung the rung, from 1
         * @param settings the settings, e.g. {@code ials factors=128 alpha0=0.3 lambda=0.01}
         * @param epochs the epochs it trained
         * @param bestEpochs the epochs at which it was measured
         * @param metric the inner validation figure, {@code NaN} if it failed or was stopped
         * @param seconds how long it took
         * @param stopped whether the budget stopped it before its last epoch
         */
        public record Trial(int number, int rung, String settings, int epochs, int bestEpochs,
                double metric, double seconds, boolean stopped) {}
    }

    /**
     * One fit call: its schedule, how many epochs, and its learning rate.
     *
     * @param schedule e.g. {@code one-cycle}
     * @param epochs the number of epochs
     * @param learningRate the (peak) learning rate
     */
    public record Fit(String schedule, int epochs, float learningRate) {}

    /**
     * One row of the epoch table.
     *
     * @param epoch the epoch number, from 1 over all fits
     * @param trainLoss the smoothed training loss
     * @param validLoss the validation loss, or {@code NaN}
     * @param validRmse the validation RMSE, or {@code NaN}
     * @param seconds how long the epoch took
     */
    public record Epoch(int epoch, double trainLoss, double validLoss, double validRmse, double seconds) {}

    /**
     * Creates the provenance of a model trained outside {@code CollabLearner}: only the block and the amount of
     * data (the versions are {@code null}; {@link TrainedModel#of(org.collab4j.model.CollabBlock,
     * org.collab4j.data.Ratings, Provenance)} fills them in from the block's engine).
     *
     * @param model the block's description
     * @param trainRatings the number of training ratings
     * @return the provenance, {@code createdAt} now
     */
    public static Provenance minimal(String model, int trainRatings) {
        return new Provenance(model, null, null, null, null, List.of(), List.of(), null, null, null, null,
                trainRatings, 0, now(), null);
    }

    /**
     * Returns the time now as {@link #createdAt()} records it.
     *
     * @return e.g. {@code 2026-11-23T07:30:00Z}
     */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * Returns the number of epochs trained over all fits.
     *
     * @return the length of {@link #history()}
     */
    public int epochs() {
        return history.size();
    }

    /**
     * Returns the validation RMSE after the last epoch.
     *
     * @return the RMSE, or {@code NaN} without validation data or epochs
     */
    public double finalValidRmse() {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).validRmse();
    }

    /**
     * Returns the smoothed training loss after the last epoch.
     *
     * @return the loss, or {@code NaN} without epochs
     */
    public double finalTrainLoss() {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).trainLoss();
    }

    /**
     * Returns a one-line summary, e.g. {@code 5 epochs (one-cycle x5 lr 0.005), AdamW(beta2=0.99, eps=1.0E-5,
     * wd=0.1), bs 64, seed 42, on cpu(), DJL 0.25.0, PyTorch 2.0.1, 80669 train ratings, valid RMSE 0.8712}.
     *
     * @return the summary
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(epochs()).append(" epochs");
        if (!fits.isEmpty()) {
            s.append(fits.stream()
                    .map(f -> String.format(Locale.ROOT, "%s x%d lr %s", f.schedule(), f.epochs(), f.learningRate()))
                    .collect(Collectors.joining(", ", " (", ")")));
        }
        append(s, "", optimizer);
        append(s, "bs ", batchSize);
        append(s, "seed ", seed);
        append(s, "on ", device);
        append(s, "DJL ", djlVersion);
        append(s, "PyTorch ", engineVersion);
        s.append(", ").append(trainRatings).append(" train ratings");
        if (!Double.isNaN(finalValidRmse())) {
            s.append(String.format(Locale.ROOT, ", valid RMSE %.4f", finalValidRmse()));
        }
        if (tuning != null) {
            s.append(", tuned: ").append(tuning.trials().size()).append(" trials, chose ").append(tuning.choice());
            if (tuning.refitModels() > 1) {
                s.append(", refit averaged ").append(tuning.refitModels()).append(" models");
            }
        }
        return s.toString();
    }

    private static void append(StringBuilder s, String label, Object value) {
        if (value != null) {
            s.append(", ").append(label).append(value);
        }
    }
}
