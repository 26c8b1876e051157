package org.collab4j.train.step;

import ai.djl.Device;

import org.collab4j.model.CollabBlock;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Ials;

import java.util.Locale;

/**
 * Chooses a learner's training step once, from what the caller asked and what the step can run on (the one rule,
 * documented at {@code CollabLearnerBuilder#optTrainingStep}).
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public final class StepPlanner {

    /**
     * With the DJL steps on the CPU, the number of user plus item rows from which touched-row updates are chosen
     * when the caller does not choose.
     */
    public static final int SPARSE_AUTO_ROWS = 50_000;

    /**
     * With the host engine and an optimizer that does not catch rows up
     * ({@link CollabOptimizer#catchesUpHostRows()}: L2 weight decay), touched-row updates are chosen when the caller
     * does not choose and a batch can touch at most this share of all user and item rows:
     * {@code 2·batchSize <= SPARSE_AUTO_SHARE · (users + items)}.
     */
    public static final double SPARSE_AUTO_SHARE = 0.1;

    /** With the DJL steps, the user + item rows from which touched rows are chosen on the CPU. */
    static final int TOUCHED_ROWS_CPU = SPARSE_AUTO_ROWS;

    /**
     * On a GPU, touched rows are chosen when the tables have more than this many rows per example of a batch: a
     * dense pass over the tables (the fused Adam reads and writes about 28 table-sized arrays) then costs more
     * than the batch's own work.
     */
    static final int TOUCHED_ROWS_PER_EXAMPLE_GPU = 16;

    private StepPlanner() {}

    /**
     * What the caller asked for, and the facts the choice depends on.
     *
     * @param choice the step and updates asked for
     * @param device the training device
     * @param block the block
     * @param optimizer the optimizer
     * @param batchSize the batch size
     * @param examples the training examples
     * @param rows the user plus item rows
     * @param objective the objective
     * @param features whether the model has side features (users', items' or both)
     */
    public record Request(StepChoice choice, Device device, CollabBlock block, CollabOptimizer optimizer,
            int batchSize, int examples, long rows, Objective objective, boolean features) {

        /**
         * A request for a model without side features.
         *
         * @param choice the step and updates asked for
         * @param device the training device
         * @param block the block
         * @param optimizer the optimizer
         * @param batchSize the batch size
         * @param examples the training examples
         * @param rows the user plus item rows
         * @param objective the objective
         */
        public Request(StepChoice choice, Device device, CollabBlock block, CollabOptimizer optimizer,
                int batchSize, int examples, long rows, Objective objective) {
            this(choice, device, block, optimizer, batchSize, examples, rows, objective, false);
        }
    }

    /**
     * Why side features train in the host and device engines only: DJL's steps gather rows of the block's tables,
     * and a hybrid row (id embedding + mean of its features' vectors) needs the engines' parts.
     */
    static final String FEATURES_ENGINES = "side features train in the host or device engine (DJL's own steps"
            + " gather rows of the block's tables and cannot reach the features' vectors)";

    /**
     * Chooses the step: the rule documented at {@code CollabLearnerBuilder#optTrainingStep}.
     *
     * @param r what was asked, and the facts
     * @return the plan
     * @throws IllegalArgumentException if what was asked cannot run
     */
    public static StepPlan plan(Request r) {
        if (r.features()) {
            return withFeatures(r);
        }
        if (r.objective() != null && r.objective().isRanking()) {
            return ranking(r);
        }
        StepChoice choice = r.choice();
        Boolean asked = choice.touchedRows();
        boolean djl = choice.djlOnly();
        String hostUnavailable = hostUnavailable(r);
        String deviceUnavailable = r.optimizer().supportsDeviceUpdates() ? null
                : "the optimizer " + r.optimizer() + " has no device update (CollabOptimizer.stepOnDevice)";
        boolean gpu = !Device.Type.CPU.equals(r.device().getDeviceType());
        int batch = Math.min(r.batchSize(), r.examples());
        // The host engine's dense update costs a pass over every row per step, its touched-row update a pass over at
        // most 2·bs rows. Caught up, touched rows train the dense weights, so they win whenever a batch touches fewer
        // rows than the tables hold; lazy (L2 decay), they end worse when a batch holds a large share of the rows.
        boolean catchUp = r.optimizer().catchesUpHostRows();
        double share = catchUp ? 1 : SPARSE_AUTO_SHARE;
        boolean hostTouched = asked != null ? asked
                : catchUp ? 2.0 * batch < r.rows() : 2.0 * batch <= share * r.rows();
        String hostRule = asked != null ? (asked ? "touched rows" : "dense updates") + " as asked"
                : String.format(Locale.ROOT, "%s: a batch touches at most %d of %d rows, %s %.0f %%",
                        hostTouched ? catchUp ? "touched rows, caught up" : "touched rows, lazy" : "dense updates",
                        2 * batch, r.rows(), hostTouched ? "within" : "above", 100 * share);
        switch (choice.kind()) {
            case HOST:
                if (hostUnavailable != null) {
                    throw new IllegalArgumentException("the host step cannot run: " + hostUnavailable);
                }
                return new StepPlan(StepKind.HOST, hostTouched, "chosen by the caller; " + hostRule);
            case DEVICE:
                if (deviceUnavailable != null) {
                    throw new IllegalArgumentException("the device step cannot run: " + deviceUnavailable);
                }
                if (asked != null) {
                    return new StepPlan(StepKind.DEVICE, asked, "chosen by the caller; "
                            + (asked ? "touched rows, index work on the device" : "dense updates") + ", as asked");
                }
                boolean large = gpu && r.rows() > (long) TOUCHED_ROWS_PER_EXAMPLE_GPU * batch;
                return new StepPlan(StepKind.DEVICE, large, "chosen by the caller" + (large
                        ? "; " + largeTables(r, batch) + ": touched rows, index work on the device" : ""));
            case DENSE:
                return new StepPlan(StepKind.DENSE, false, "chosen by the caller");
            case TOUCHED:
                return new StepPlan(StepKind.TOUCHED, true, "chosen by the caller");
            default:
                break;
        }
        if (!djl && hostUnavailable == null) {
            return new StepPlan(StepKind.HOST, hostTouched, "the dot models on the CPU train in plain Java; "
                    + hostRule);
        }
        String why = djl ? "DJL's own steps asked for" : "no host step: " + hostUnavailable;
        if (asked != null) {
            if (asked) {
                return new StepPlan(StepKind.TOUCHED, true, why + "; touched rows as asked");
            }
            return dense(deviceUnavailable, djl, why + "; dense updates as asked");
        }
        if (gpu) {
            long limit = (long) TOUCHED_ROWS_PER_EXAMPLE_GPU * batch;
            if (r.rows() > limit) {
                if (deviceUnavailable == null && !djl) {
                    return new StepPlan(StepKind.DEVICE, true, why + "; " + largeTables(r, batch)
                            + ": touched rows, index work on the device");
                }
                return new StepPlan(StepKind.TOUCHED, true, why + "; " + largeTables(r, batch)
                        + (deviceUnavailable != null ? "; " + deviceUnavailable : ""));
            }
            return dense(deviceUnavailable, djl, String.format(Locale.ROOT, "%s; %d table rows, at most %d per"
                    + " example of a %d batch", why, r.rows(), TOUCHED_ROWS_PER_EXAMPLE_GPU, batch));
        }
        if (r.rows() >= TOUCHED_ROWS_CPU) {
            return new StepPlan(StepKind.TOUCHED, true, String.format(Locale.ROOT, "%s; %d table rows, at least"
                    + " %d", why, r.rows(), TOUCHED_ROWS_CPU));
        }
        return dense(deviceUnavailable, djl, String.format(Locale.ROOT, "%s; %d table rows, fewer than %d", why,
                r.rows(), TOUCHED_ROWS_CPU));
    }

    /**
     * A ranking objective trains with its own step: iALS with its sweep; BPR and the softmax with the device ranking
     * step on a GPU (batches and negatives stay on the device) and the host ranking step on the CPU (plain Java,
     * faster there, and it skips a user's own positives among the negatives). {@code optTrainingStep(DEVICE)} or
     * {@code (HOST)} chooses between those two anywhere; the other rating steps are refused rather than ignored.
     */
    private static StepPlan ranking(Request r) {
        Objective objective = r.objective();
        if (objective instanceof Ials) {
            if (!r.choice().equals(StepChoice.AUTO)) {
                throw new IllegalArgumentException("optTrainingStep(" + r.choice() + ") chooses a"
                        + " rating step, and the objective " + objective.name() + " trains with its own step:"
                        + " leave optTrainingStep unset");
            }
            return new StepPlan(StepKind.ALS, false, "the objective " + objective.name()
                    + ": one alternating-least-squares sweep per epoch, on the host");
        }
        String deviceUnavailable = r.optimizer().supportsDeviceUpdates() ? null
                : "the optimizer " + r.optimizer() + " has no device update (CollabOptimizer.stepOnDevice)";
        String host = "the objective " + objective.name() + ": sampled-negative ranking loss in plain Java on the"
                + " host";
        String device = "the objective " + objective.name() + ": sampled-negative ranking loss on the device,"
                + " negatives drawn there";
        StepChoice choice = r.choice();
        if (choice.djlOnly() || choice.touchedRows() != null
                && choice.kind() != StepKind.DENSE && choice.kind() != StepKind.TOUCHED) {
            throw new IllegalArgumentException("optTrainingStep(" + choice + ") chooses a rating step or its updates,"
                    + " and the objective " + objective.name() + " trains with a ranking step whose updates are its"
                    + " own: leave optTrainingStep unset, or ask for StepChoice.DEVICE or StepChoice.HOST");
        }
        switch (choice.kind()) {
            case AUTO:
                break;
            case DEVICE:
                if (deviceUnavailable != null) {
                    throw new IllegalArgumentException("the device ranking step cannot run: " + deviceUnavailable);
                }
                return new StepPlan(StepKind.DEVICE_RANKING, false, device + "; chosen by the caller");
            case HOST:
                return new StepPlan(StepKind.RANKING, false, host + "; chosen by the caller");
            default:
                throw new IllegalArgumentException("optTrainingStep(" + choice + ") chooses a rating"
                        + " step, and the objective " + objective.name() + " trains with a ranking step: leave"
                        + " optTrainingStep unset, or ask for device or host");
        }
        if (Device.Type.CPU.equals(r.device().getDeviceType())) {
            return new StepPlan(StepKind.RANKING, false, host + "; on the CPU");
        }
        if (deviceUnavailable != null) {
            return new StepPlan(StepKind.RANKING, false, host + "; " + deviceUnavailable);
        }
        return new StepPlan(StepKind.DEVICE_RANKING, false, device + "; on " + r.device()
                + ", batches and negatives stay there");
    }

    /**
     * A model with side features: iALS with its sweep (the features' vectors ridge-fitted afterwards); any other
     * objective in the host engine or the device engine, chosen as without features (the device engine on a GPU,
     * the host engine on the CPU), the device engine with dense updates (its hybrid rows are built per batch on the
     * device; the parts are updated densely).
     */
    private static StepPlan withFeatures(Request r) {
        if (r.block() instanceof org.collab4j.model.EmbeddingNet) {
            return netWithFeatures(r);
        }
        Objective objective = r.objective();
        if (objective instanceof Ials) {
            StepPlan plan = ranking(r);
            return new StepPlan(plan.kind(), plan.touchedRows(), plan.reason() + "; side features fitted to the"
                    + " solved rows by ridge regression after training");
        }
        StepChoice choice = r.choice();
        if (choice.djlOnly() || choice.kind() != StepKind.AUTO && choice.kind() != StepKind.HOST
                && choice.kind() != StepKind.DEVICE) {
            throw new IllegalArgumentException("optTrainingStep(" + choice + ") asks for a step that cannot train"
                    + " side features: " + FEATURES_ENGINES + "; leave optTrainingStep unset, or ask for"
                    + " StepChoice.HOST or StepChoice.DEVICE");
        }
        if (!HostEngine.supports(r.block())) {
            throw new IllegalArgumentException("side features train EmbeddingDot and EmbeddingDotBias, not "
                    + r.block().getClass().getSimpleName() + ": train the hybrid model with a dot block");
        }
        boolean ranking = objective != null && objective.isRanking();
        if (ranking && choice.touchedRows() != null) {
            throw new IllegalArgumentException("optTrainingStep(" + choice + ") fixes the updates, and the"
                    + " objective " + objective.name() + " trains with its ranking step's own updates: leave them"
                    + " unset");
        }
        boolean cpu = Device.Type.CPU.equals(r.device().getDeviceType());
        String deviceUnavailable = r.optimizer().supportsDeviceUpdates() ? null
                : "the optimizer " + r.optimizer() + " has no device update (CollabOptimizer.stepOnDevice)";
        String hostUnavailable = r.optimizer().supportsHostUpdates() ? null
                : "the optimizer " + r.optimizer() + " has no host update (CollabOptimizer.hostStep): use"
                        + " Collab4J's Adam, SGD or RMSProp";
        String device = "; side features' parts (id embeddings, feature vectors and biases) on the device, each"
                + " batch's rows combined there, dense updates";
        if (choice.kind() == StepKind.DEVICE) {
            if (deviceUnavailable != null) {
                throw new IllegalArgumentException("the device engine cannot train side features: "
                        + deviceUnavailable);
            }
            if (Boolean.TRUE.equals(choice.touchedRows())) {
                throw new IllegalArgumentException("optTrainingStep(" + choice + "): the device engine trains side"
                        + " features with dense updates; leave touched rows unset, or ask for StepChoice.HOST");
            }
            return devicePlan(objective, ranking, "chosen by the caller" + device);
        }
        if (choice.kind() == StepKind.AUTO && !cpu) {
            if (deviceUnavailable == null) {
                return devicePlan(objective, ranking, "on " + r.device() + device);
            }
            if (hostUnavailable != null) {
                throw new IllegalArgumentException("no engine can train side features: " + deviceUnavailable
                        + ", and " + hostUnavailable);
            }
        }
        if (hostUnavailable != null) {
            throw new IllegalArgumentException("the host engine cannot train side features: " + hostUnavailable
                    + (deviceUnavailable == null ? "; or ask for StepChoice.DEVICE" : ""));
        }
        String where = cpu ? "side features' parts trained in plain Java"
                : "side features' parts trained in plain Java, on the CPU although the learner's device is "
                        + r.device() + (choice.kind() == StepKind.HOST ? " (StepChoice.HOST)" : "; " + deviceUnavailable);
        if (ranking) {
            return new StepPlan(StepKind.RANKING, false, "the objective " + objective.name() + ": sampled-negative"
                    + " ranking loss in plain Java on the host; " + where);
        }
        Boolean asked = choice.touchedRows();
        int batch = Math.min(r.batchSize(), r.examples());
        boolean catchUp = r.optimizer().catchesUpHostRows();
        boolean touched = asked != null ? asked
                : catchUp ? 2.0 * batch < r.rows() : 2.0 * batch <= SPARSE_AUTO_SHARE * r.rows();
        return new StepPlan(StepKind.HOST, touched, where + "; " + (asked != null
                ? (asked ? "touched rows" : "dense updates") + " as asked"
                : touched ? catchUp ? "touched rows, caught up" : "touched rows, lazy" : "dense updates"));
    }

    /**
     * Why an {@code EmbeddingNet} with side columns trains with DJL's dense step: its forward gathers the batch's
     * feature rows by the input's user and item indices, which the touched-row, host and device steps re-index into
     * the rows they gather.
     */
    static final String NET_FEATURES = "EmbeddingNet's side columns train with DJL's dense step on the block's"
            + " forward (the touched-row, host and device steps re-index the rows the forward gathers features by)";

    /** An {@code EmbeddingNet} whose block holds side columns: DJL's dense step, rating objectives. */
    private static StepPlan netWithFeatures(Request r) {
        Objective objective = r.objective();
        if (objective != null && (objective.isRanking() || objective instanceof Ials)) {
            throw new IllegalArgumentException("the objective " + objective.name() + " cannot train an EmbeddingNet"
                    + " with side features: " + NET_FEATURES + ", with a rating loss (MSE); use a dot block"
                    + " (LightFM form) for ranking with features");
        }
        StepChoice choice = r.choice();
        if (choice.kind() != StepKind.AUTO && choice.kind() != StepKind.DENSE
                || Boolean.TRUE.equals(choice.touchedRows())) {
            throw new IllegalArgumentException("optTrainingStep(" + choice + ") asks for a step that cannot train"
                    + " an EmbeddingNet with side features: " + NET_FEATURES + "; leave optTrainingStep unset, or ask"
                    + " for StepChoice.DENSE");
        }
        return new StepPlan(StepKind.DENSE, false, NET_FEATURES);
    }

    private static StepPlan devicePlan(Objective objective, boolean ranking, String why) {
        if (ranking) {
            return new StepPlan(StepKind.DEVICE_RANKING, false, "the objective " + objective.name()
                    + ": sampled-negative ranking loss on the device, negatives drawn there; " + why);
        }
        return new StepPlan(StepKind.DEVICE, false, why);
    }

    private static String largeTables(Request r, int batch) {
        return String.format(Locale.ROOT, "%d table rows, more than %d per example of a %d batch: a dense pass"
                + " would cost more than the batch", r.rows(), TOUCHED_ROWS_PER_EXAMPLE_GPU, batch);
    }

    /**
     * The device engine where the optimizer has a device update and DJL's own steps were not asked for, else DJL's
     * dense step: the same weights.
     */
    private static StepPlan dense(String deviceUnavailable, boolean djl, String why) {
        if (deviceUnavailable == null && !djl) {
            return new StepPlan(StepKind.DEVICE, false, why);
        }
        return new StepPlan(StepKind.DENSE, false, why + (deviceUnavailable != null
                ? "; " + deviceUnavailable : ""));
    }

    private static String hostUnavailable(Request r) {
        if (!Device.Type.CPU.equals(r.device().getDeviceType())) {
            return "the learner trains on " + r.device() + ", and the host step runs on the CPU only";
        }
        if (!HostEngine.supports(r.block())) {
            return "it trains EmbeddingDot and EmbeddingDotBias only, not " + r.block().getClass().getSimpleName();
        }
        if (!r.optimizer().supportsHostUpdates()) {
            return "the optimizer " + r.optimizer() + " has no host update (CollabOptimizer.hostStep)";
        }
        return null;
    }
}
