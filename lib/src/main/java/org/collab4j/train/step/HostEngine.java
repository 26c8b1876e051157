package org.collab4j.train.step;

import org.collab4j.data.Ratings;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.Kernel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.YRange;
import org.collab4j.train.objective.ListwiseObjective;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.PairwiseObjective;
import org.collab4j.train.objective.RatingObjective;
import org.collab4j.train.objective.SampledObjective;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.HostSplit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The host engine ({@link StepKind#HOST}, {@link StepKind#RANKING}): trains {@link EmbeddingDot} and
 * {@link EmbeddingDotBias} in plain Java over {@code float[]} copies of their tables ({@link HostTables}), for any
 * objective of the three gradient families, without the hundred-odd native calls a DJL step costs whatever its
 * size. The engine owns where the examples are, the drawing of negatives, the scoring, the chain rule into rows,
 * the batch's rows and the optimizer's update; the objective only its loss over the scores.
 *
 * <pre>
 * s_ui = U[u] · I[i] (+ b_u[u] + b_i[i])     Kernel.dot and Kernel.withBiases: the Recommender's arithmetic
 * ∂loss/∂U[u] += ∂loss/∂s_ui · I[i];   ∂loss/∂I[i] += ∂loss/∂s_ui · U[u];   ∂loss/∂b = ∂loss/∂s_ui
 * </pre>
 *
 * <ul>
 *   <li>{@link RatingObjective} (MSE): a batch is a slice of the epoch's shuffled ratings, scored with both
 *       biases; the objective applies the y-range.
 *   <li>{@link PairwiseObjective} (BPR, WARP): a batch is a slice of the shuffled positives; for each, the engine
 *       draws negatives one at a time — a draw that is one of the user's training items is redrawn, up to four times —
 *       and scores them until the objective {@link PairwiseObjective#accepts accepts} one, at most
 *       {@link PairwiseObjective#trials()} draws.
 *   <li>{@link ListwiseObjective} (the softmax): the batch's positives share {@link ListwiseObjective#negatives()}
 *       drawn negatives (or the whole catalogue); the engine masks the positive where it is among them (as the
 *       device engine does; the user's other items stay in) and subtracts the log-Q correction
 *       {@code log q_j + log N} from sampled logits.
 * </ul>
 * A ranking objective leaves the user bias out of its scores and untrained (it cannot change a user's ranking).
 *
 * <p>Gradients are summed per distinct row of the batch ({@link RowBatcher}; a row can occur several times). In
 * touched-row mode only those rows are updated ({@link CollabOptimizer#updateHostRows}), each first caught up on
 * the steps it missed, and every row is caught up before the tables are written back, so touched rows train the
 * weights dense updates would; in dense mode (ratings only) every row of every table is updated every step, as
 * {@link CollabOptimizer#update}.
 *
 * <p>A batch's work is split over the engine's threads ({@link HostThreads}: the calling thread and spinning helpers,
 * {@code optHostThreads} in all): the rows' catch-up and the optimizer's update in blocks of rows, a rating batch's
 * scores in ranges of examples, and the gradient sums by row ({@link PairGradients}: each row's gradient summed on one
 * thread, its pairs in the order the batch met them). The slotting of rows, the drawing and scoring of pairwise
 * negatives, the listwise scores and every loss stay on the calling thread, in one order. Each value is therefore the
 * same arithmetic in the same order on any number of threads, and the weights are the same bit for bit; work of fewer
 * than {@link HostThreads#GRAIN} values per thread is not split.
 *
 * <p>Not thread-safe.
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public final class HostEngine implements TrainingStep {

    /** Redraws of a negative that is one of the user's own training items. */
    private static final int REDRAWS = 4;
    /** Pairs a listwise batch records before it sums them into the gradients (a full softmax has batch × items). */
    private static final int LISTWISE_PAIRS = 1 << 16;

    private final Objective objective;
    private final CollabOptimizer optimizer;
    private final HostThreads threads;
    private final boolean touchedRows;
    private final HostTables tables;
    private final YRange yRange;
    private final int factors;
    private final int numItems;
    private final int[] users;
    private final int[] items;
    private final float[] values;
    private final int batchSize;
    private final LossLog losses = new LossLog();
    private final RowBatcher userRows;
    private final RowBatcher itemRows;
    // Per example of the batch: its slots, its value (rating or weight), scores and derivatives.
    private final int[] userSlot;
    private final int[] itemSlot;
    private final float[] batchValues;
    private final float[] scores;
    private final float[] dScores;
    // Gradients: per slot of the batch's distinct rows in touched-row mode, per table row in dense mode.
    private final float[] userFactorGrad;
    private final float[] itemFactorGrad;
    private final float[] userBiasGrad;
    private final float[] itemBiasGrad;
    /** The chain rule into those gradients, summed per row over the threads. */
    private final PairGradients pairs;
    // Sampled objectives: each user's training items, the sampler, its random source, the drawn negatives.
    private final Csr seen;
    private final NegativeSampler sampler;
    private final SplittableRandom random;
    private final int[] negativeItem;
    private final float[] negativeScores;
    private final int[] trial;
    private final int[] oneRow = new int[1];
    /** Each example's row in the training data (fixed negatives are by row). */
    private final int[] exampleRow;
    /** Tests: the pairwise candidates of every training row, {@code trials} per row, instead of draws; or null. */
    private long[] fixedNegatives;
    // Listwise objectives: the shared negatives' slots, one positive's logits and their derivatives.
    private final boolean fullSoftmax;
    private final float[] logits;
    private final float[] dLogits;
    private long[] order;
    // Side features (LightFM's form), or null: the tables then hold combined rows, these the parts.
    private final HybridRows userHybrid;
    private final HybridRows itemHybrid;

    /**
     * Prepares the engine for a model without side features; {@link #beginFit()} loads the tables.
     *
     * @param block an {@link EmbeddingDot} or {@link EmbeddingDotBias}, initialised
     * @param optimizer an optimizer whose {@link CollabOptimizer#supportsHostUpdates()} is true
     * @param objective a {@link RatingObjective}, {@link PairwiseObjective} or {@link ListwiseObjective}
     * @param touchedRows whether to update only the rows each batch uses (always, for a ranking objective)
     * @param train the training examples: ratings, or positives whose values are their weights
     * @param batchSize the largest batch
     * @param threads the threads a batch's work may use, the calling thread included
     * @param seed the seed of the negatives' random source
     */
    public HostEngine(CollabBlock block, CollabOptimizer optimizer, Objective objective, boolean touchedRows,
            Ratings train, int batchSize, int threads, long seed) {
        this(block, optimizer, objective, touchedRows, train, batchSize, threads, seed, null, null);
    }

    /**
     * Prepares the engine; {@link #beginFit()} loads the tables.
     *
     * @param block an {@link EmbeddingDot} or {@link EmbeddingDotBias}, initialised
     * @param optimizer an optimizer whose {@link CollabOptimizer#supportsHostUpdates()} is true
     * @param objective a {@link RatingObjective}, {@link PairwiseObjective} or {@link ListwiseObjective}
     * @param touchedRows whether to update only the rows each batch uses (always, for a ranking objective)
     * @param train the training examples: ratings, or positives whose values are their weights
     * @param batchSize the largest batch
     * @param threads the threads a batch's work may use, the calling thread included
     * @param seed the seed of the negatives' random source
     * @param userFeatures the users' side features, or {@code null}: each user's row is then its id embedding plus
     *     the mean of its features' vectors, and the gradients reach both ({@link SideFeatures})
     * @param itemFeatures the items' side features, or {@code null}
     */
    public HostEngine(CollabBlock block, CollabOptimizer optimizer, Objective objective, boolean touchedRows,
            Ratings train, int batchSize, int threads, long seed, SideFeatures userFeatures,
            SideFeatures itemFeatures) {
        if (!supports(block)) {
            throw new IllegalArgumentException("the host engine trains EmbeddingDot and EmbeddingDotBias, not "
                    + block.getClass().getSimpleName());
        }
        boolean ranking = objective.isRanking();
        if (!(objective instanceof RatingObjective) && !(objective instanceof PairwiseObjective)
                && !(objective instanceof ListwiseObjective)) {
            throw new IllegalArgumentException("the host engine trains rating, pairwise and listwise objectives,"
                    + " not " + objective.name());
        }
        this.objective = objective;
        this.optimizer = optimizer;
        this.touchedRows = touchedRows || ranking;
        this.threads = new HostThreads(threads);
        tables = new HostTables(block, !ranking);
        yRange = block.getYRange();
        factors = tables.factors();
        numItems = block.getNumItems();
        users = train.userIndices();
        items = train.itemIndices();
        values = train.ratingValues();
        this.batchSize = batchSize;
        int numUsers = block.getNumUsers();
        userRows = new RowBatcher(numUsers);
        itemRows = new RowBatcher(numItems);
        int batch = Math.min(batchSize, users.length);
        userSlot = new int[batch];
        itemSlot = new int[batch];
        batchValues = new float[batch];
        exampleRow = new int[batch];
        scores = new float[batch];
        dScores = new float[batch];
        int shared = objective instanceof ListwiseObjective listwise ? Math.min(listwise.negatives(), numItems) : 0;
        int negatives = objective instanceof PairwiseObjective ? batch : shared;
        int userGradRows = this.touchedRows ? Math.min(batch, numUsers) : numUsers;
        int itemGradRows = this.touchedRows ? Math.min(numItems, batch + negatives) : numItems;
        userFactorGrad = new float[userGradRows * factors];
        itemFactorGrad = new float[itemGradRows * factors];
        userBiasGrad = tables.userBias() != null ? new float[userGradRows] : null;
        itemBiasGrad = tables.itemBias() != null ? new float[itemGradRows] : null;
        // A rating or pairwise batch's pairs all wait for one flush; a listwise batch flushes when this many wait.
        int pairCapacity = objective instanceof RatingObjective ? batch
                : objective instanceof PairwiseObjective ? 2 * batch
                : (int) Math.max(shared + 1, Math.min((long) batch * (shared + 1), LISTWISE_PAIRS));
        pairs = new PairGradients(pairCapacity, factors, this.touchedRows, userFactorGrad, itemFactorGrad,
                userBiasGrad, itemBiasGrad);
        if (objective instanceof SampledObjective sampled) {
            seen = Csr.of(numUsers, users, items).sortedDistinct();
            sampler = new NegativeSampler(numItems, items, sampled.sampling());
            random = new SplittableRandom(seed);
        } else {
            seen = null;
            sampler = null;
            random = null;
        }
        negativeItem = new int[negatives];
        negativeScores = objective instanceof PairwiseObjective ? new float[batch] : null;
        trial = objective instanceof PairwiseObjective ? new int[batch] : null;
        fullSoftmax = objective instanceof ListwiseObjective listwise && listwise.negatives() >= numItems;
        logits = shared > 0 ? new float[shared + 1] : null;
        dLogits = shared > 0 ? new float[shared + 1] : null;
        userHybrid = userFeatures == null ? null : new HybridRows(userFeatures, optimizer, this.touchedRows,
                this.threads, tables.userFactors().getId(),
                tables.userBias() != null ? tables.userBias().getId() : null);
        itemHybrid = itemFeatures == null ? null : new HybridRows(itemFeatures, optimizer, this.touchedRows,
                this.threads, tables.itemFactors().getId(),
                tables.itemBias() != null ? tables.itemBias().getId() : null);
    }

    /**
     * Returns whether a block is one the host engine trains.
     *
     * @param block the block
     * @return {@code true} for {@link EmbeddingDot} and {@link EmbeddingDotBias}
     */
    public static boolean supports(CollabBlock block) {
        // Exact classes: a subclass may override the forward, which the host engine would silently ignore.
        return block.getClass() == EmbeddingDot.class || block.getClass() == EmbeddingDotBias.class;
    }

    @Override
    public int examples() {
        return users.length;
    }

    @Override
    public int batches() {
        return TrainingStep.batchesPerEpoch(users.length, batchSize);
    }

    @Override
    public void beginFit() {
        // Once per fit, after onFitStart: per epoch it would churn table-sized copies through the heap.
        load();
    }

    /** Loads the tables and, with side features, splits the combined rows into their parts. */
    private void load() {
        tables.load();
        if (userHybrid != null) {
            userHybrid.load(tables.uf, tables.ub);
        }
        if (itemHybrid != null) {
            itemHybrid.load(tables.itf, tables.ib);
        }
    }

    @Override
    public void beginEpoch(Epoch epoch) {
        // The examples are sliced on the host: one read of the epoch's order.
        order = epoch.order().toLongArray();
    }

    @Override
    public void trainBatch(int batch) {
        int from = batch * batchSize;
        losses.add(trainBatch(order, from, Math.min(users.length, from + batchSize)));
    }

    @Override
    public float[] takeLosses() {
        return losses.take();
    }

    /** Catches every row up on the steps it missed (touched-row mode), then writes the tables back. */
    @Override
    public void writeBack() {
        if (userHybrid != null) {
            userHybrid.writeBack(tables.uf, tables.ub);
        } else if (touchedRows) {
            optimizer.catchUpHostRows(tables.userFactors().getId(), tables.uf, factors, threads);
            if (tables.userBias() != null) {
                optimizer.catchUpHostRows(tables.userBias().getId(), tables.ub, 1);
            }
        }
        if (itemHybrid != null) {
            itemHybrid.writeBack(tables.itf, tables.ib);
        } else if (touchedRows) {
            optimizer.catchUpHostRows(tables.itemFactors().getId(), tables.itf, factors, threads);
            if (tables.itemBias() != null) {
                optimizer.catchUpHostRows(tables.itemBias().getId(), tables.ib, 1);
            }
        }
        tables.store();
    }

    /** Reloads the tables; with side features the ids take the restored rows' difference from their features'. */
    @Override
    public void reload() {
        load();
    }

    /**
     * Uses these candidates instead of drawing them (tests), from the next batch on: for a pairwise objective
     * {@code trials()} per training positive, by its row in the training data, taken in order as the draws
     * (without the redraw of a user's own items). The device engine's {@link DeviceEngine#fixNegatives} takes the
     * same array, so both engines can be checked against one gradient by hand.
     *
     * @param ids item indices, row-major
     * @throws IllegalArgumentException if the objective is not pairwise or the count is not
     *     {@code examples() · trials()}
     */
    public void fixNegatives(long[] ids) {
        if (!(objective instanceof PairwiseObjective pairwise) || ids.length != users.length * pairwise.trials()) {
            throw new IllegalArgumentException("expected " + (objective instanceof PairwiseObjective p
                    ? users.length * p.trials() + " candidates" : "a pairwise objective") + ", got " + ids.length);
        }
        fixedNegatives = ids.clone();
    }

    /** Stops the update threads, if any. */
    @Override
    public void close() {
        threads.close();
    }

    /**
     * One step on examples {@code permutation[from .. to)}.
     *
     * @return the batch's mean loss before the update
     */
    float trainBatch(long[] permutation, int from, int to) {
        int size = to - from;
        userRows.start();
        itemRows.start();
        for (int k = 0; k < size; k++) {
            int row = (int) permutation[from + k];
            userSlot[k] = userRows.slot(users[row]);
            itemSlot[k] = itemRows.slot(items[row]);
            batchValues[k] = values[row];
            exampleRow[k] = row;
        }
        double loss;
        if (objective instanceof RatingObjective rating) {
            prepareRows();
            loss = ratingBatch(rating, size);
        } else if (objective instanceof PairwiseObjective pairwise) {
            prepareRows();
            loss = pairwiseBatch(pairwise, size);
        } else {
            slotSharedNegatives();
            prepareRows();
            loss = listwiseBatch((ListwiseObjective) objective, size);
        }
        update();
        return (float) loss;
    }

    private double ratingBatch(RatingObjective rating, int size) {
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        // Each score on its own: any split gives the same scores.
        HostSplit.ranges(threads, size, 2L * size * factors, (from, to) -> {
            for (int k = from; k < to; k++) {
                scores[k] = score(userIndex[userSlot[k]], itemIndex[itemSlot[k]]);
            }
        });
        double loss = rating.hostLoss(scores, batchValues, size, yRange, dScores);
        for (int k = 0; k < size; k++) {
            pairs.add(userSlot[k], itemSlot[k], dScores[k]);
        }
        flushPairs();
        return loss;
    }

    private double pairwiseBatch(PairwiseObjective pairwise, int size) {
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        int trials = pairwise.trials();
        for (int k = 0; k < size; k++) {
            int u = userIndex[userSlot[k]];
            float positive = score(u, itemIndex[itemSlot[k]]);
            scores[k] = positive;
            trial[k] = 0;
            for (int n = 1; n <= trials; n++) {
                int j = fixedNegatives != null ? (int) fixedNegatives[exampleRow[k] * trials + n - 1]
                        : drawNegative(u);
                // A draw outside the batch's rows is brought up to date before it is scored (a no-op for the
                // batch's own rows, which prepareRows caught up).
                catchUpItem(j);
                float negative = score(u, j);
                if (pairwise.accepts(positive, negative)) {
                    trial[k] = n;
                    negativeItem[k] = j;
                    negativeScores[k] = negative;
                    break;
                }
            }
        }
        double loss = pairwise.hostLoss(scores, negativeScores, trial, batchValues, size, numItems, dScores);
        for (int k = 0; k < size; k++) {
            if (trial[k] > 0) {
                int negativeSlot = slotItem(negativeItem[k]);
                pairs.add(userSlot[k], itemSlot[k], dScores[k]);
                pairs.add(userSlot[k], negativeSlot, -dScores[k]);
            }
        }
        flushPairs();
        return loss;
    }

    /** The shared negatives of a listwise batch, as slots among the batch's items: drawn, or every item. */
    private void slotSharedNegatives() {
        for (int n = 0; n < negativeItem.length; n++) {
            negativeItem[n] = itemRows.slot(fullSoftmax ? n : sampler.draw(random));
        }
    }

    private double listwiseBatch(ListwiseObjective listwise, int size) {
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        int negatives = negativeItem.length;
        double logDraws = Math.log(negatives);
        double sum = 0;
        for (int k = 0; k < size; k++) {
            int u = userIndex[userSlot[k]];
            int i = itemIndex[itemSlot[k]];
            // Slot 0 is the positive; where it is also among the negatives (drawn, or the whole catalogue) it is
            // masked there, so that it appears once. The user's other items stay in: masking them too drops the
            // denominator's estimate of the full softmax, and it overfits (docs/benchmarks.md, "Losses on S1").
            logits[0] = fullSoftmax ? score(u, i) : (float) (score(u, i) - sampler.logProbability(i) - logDraws);
            for (int n = 0; n < negatives; n++) {
                int j = itemIndex[negativeItem[n]];
                logits[n + 1] = j == i ? Float.NEGATIVE_INFINITY
                        : fullSoftmax ? score(u, j) : (float) (score(u, j) - sampler.logProbability(j) - logDraws);
            }
            sum += listwise.hostLoss(logits, negatives + 1, batchValues[k], size, dLogits);
            if (pairs.size() + negatives + 1 > pairs.capacity()) {
                flushPairs();
            }
            pairs.add(userSlot[k], itemSlot[k], dLogits[0]);
            for (int n = 0; n < negatives; n++) {
                if (logits[n + 1] != Float.NEGATIVE_INFINITY) {
                    pairs.add(userSlot[k], negativeItem[n], dLogits[n + 1]);
                }
            }
        }
        flushPairs();
        return sum / size;
    }

    /** The score the engine trains: the Recommender's dot product and biases (a ranking: the item bias only). */
    private float score(int u, int i) {
        float x = Kernel.dot(tables.uf, u * factors, tables.itf, i * factors, factors);
        if (tables.ub != null) {
            return Kernel.withBiases(x, tables.ub[u], tables.ib[i]);
        }
        return tables.ib != null ? x + tables.ib[i] : x;
    }

    /** Sums the pairs recorded so far into the gradients of the batch's rows (the chain rule of {@link #score}). */
    private void flushPairs() {
        pairs.flush(threads, tables.uf, tables.itf, userRows.rows(), userRows.count(), itemRows.rows(),
                itemRows.count());
    }

    /** A negative for {@code user}: redrawn up to {@value #REDRAWS} times while it is one of the user's items. */
    private int drawNegative(int user) {
        int j = sampler.draw(random);
        for (int t = 0; t < REDRAWS && seen.contains(user, j); t++) {
            j = sampler.draw(random);
        }
        return j;
    }

    /** Brings one item's rows up to date before a score reads them. */
    private void catchUpItem(int item) {
        if (itemHybrid != null) {
            itemHybrid.catchUp(item, tables.itf, tables.ib);
            return;
        }
        oneRow[0] = item;
        optimizer.catchUpHostRows(tables.itemFactors().getId(), tables.itf, factors, oneRow, 1);
        if (tables.itemBias() != null) {
            optimizer.catchUpHostRows(tables.itemBias().getId(), tables.ib, 1, oneRow, 1);
        }
    }

    /** The slot of an item among the batch's rows; a new slot starts with a zero gradient. */
    private int slotItem(int item) {
        int count = itemRows.count();
        int slot = itemRows.slot(item);
        if (slot == count) {
            Arrays.fill(itemFactorGrad, slot * factors, (slot + 1) * factors, 0f);
            if (itemBiasGrad != null) {
                itemBiasGrad[slot] = 0f;
            }
            if (itemHybrid != null) {
                itemHybrid.slotFeatures(item);
            }
        }
        return slot;
    }

    /**
     * In touched-row mode, brings the batch's rows up to date, so that the forward pass sees what dense updates
     * would have left, and clears their gradients.
     */
    private void prepareRows() {
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        int userCount = userRows.count();
        int itemCount = itemRows.count();
        // With side features the batch's combined rows are made from their parts (caught up in touched-row mode).
        if (userHybrid != null) {
            userHybrid.prepare(userIndex, userCount, tables.uf, tables.ub);
        }
        if (itemHybrid != null) {
            itemHybrid.prepare(itemIndex, itemCount, tables.itf, tables.ib);
        }
        if (!touchedRows) {
            return;
        }
        if (userHybrid == null) {
            optimizer.catchUpHostRows(tables.userFactors().getId(), tables.uf, factors, userIndex, userCount,
                    threads);
            if (tables.userBias() != null) {
                optimizer.catchUpHostRows(tables.userBias().getId(), tables.ub, 1, userIndex, userCount);
            }
        }
        if (itemHybrid == null) {
            optimizer.catchUpHostRows(tables.itemFactors().getId(), tables.itf, factors, itemIndex, itemCount,
                    threads);
            if (tables.itemBias() != null) {
                optimizer.catchUpHostRows(tables.itemBias().getId(), tables.ib, 1, itemIndex, itemCount);
            }
        }
        Arrays.fill(userFactorGrad, 0, userCount * factors, 0f);
        Arrays.fill(itemFactorGrad, 0, itemCount * factors, 0f);
        if (userBiasGrad != null) {
            Arrays.fill(userBiasGrad, 0, userCount, 0f);
        }
        if (itemBiasGrad != null) {
            Arrays.fill(itemBiasGrad, 0, itemCount, 0f);
        }
    }

    /** The optimizer's update of the batch's rows (touched rows) or of every row (dense). */
    private void update() {
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        int userCount = userRows.count();
        int itemCount = itemRows.count();
        if (userHybrid != null) {
            userHybrid.update(userIndex, userCount, userFactorGrad, userBiasGrad);
        }
        if (itemHybrid != null) {
            itemHybrid.update(itemIndex, itemCount, itemFactorGrad, itemBiasGrad);
        }
        if (touchedRows) {
            if (userHybrid == null) {
                optimizer.updateHostRows(tables.userFactors().getId(), tables.uf, factors, userIndex, userCount,
                        userFactorGrad, threads);
                if (userBiasGrad != null) {
                    optimizer.updateHostRows(tables.userBias().getId(), tables.ub, 1, userIndex, userCount,
                            userBiasGrad);
                }
            }
            if (itemHybrid == null) {
                optimizer.updateHostRows(tables.itemFactors().getId(), tables.itf, factors, itemIndex, itemCount,
                        itemFactorGrad, threads);
                if (itemBiasGrad != null) {
                    optimizer.updateHostRows(tables.itemBias().getId(), tables.ib, 1, itemIndex, itemCount,
                            itemBiasGrad);
                }
            }
            return;
        }
        if (userHybrid == null) {
            optimizer.updateHost(tables.userFactors().getId(), tables.uf, userFactorGrad, threads);
            if (userBiasGrad != null) {
                optimizer.updateHost(tables.userBias().getId(), tables.ub, userBiasGrad);
            }
        }
        if (itemHybrid == null) {
            optimizer.updateHost(tables.itemFactors().getId(), tables.itf, itemFactorGrad, threads);
            if (itemBiasGrad != null) {
                optimizer.updateHost(tables.itemBias().getId(), tables.ib, itemBiasGrad);
            }
        }
        // Only the batch's rows hold gradient: clear those, not the whole tables.
        clearRows(userFactorGrad, userBiasGrad, userIndex, userCount);
        clearRows(itemFactorGrad, itemBiasGrad, itemIndex, itemCount);
    }

    private void clearRows(float[] factorGrad, float[] biasGrad, int[] rows, int count) {
        for (int s = 0; s < count; s++) {
            int row = rows[s];
            Arrays.fill(factorGrad, row * factors, (row + 1) * factors, 0f);
            if (biasGrad != null) {
                biasGrad[row] = 0f;
            }
        }
    }
}
