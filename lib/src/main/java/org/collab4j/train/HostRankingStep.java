package org.collab4j.train;

import ai.djl.nn.Parameter;

import org.collab4j.model.CollabBlock;
import org.collab4j.train.optimizer.CollabOptimizer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training step of the sampled ranking losses ({@link Objective.Bpr}, {@link Objective.Softmax}) on
 * {@code EmbeddingDot} and {@code EmbeddingDotBias} without a y-range, in plain Java over {@code float[]} copies
 * of the tables, in the host step's style: a batch is a slice of the epoch's shuffled positives, negatives are
 * drawn on the host, gradients are summed per distinct row and the touched rows go through
 * {@link CollabOptimizer#updateHostRows}, every row caught up on its missed steps before the tables are written
 * back.
 *
 * <pre>
 * s_ui = U[u]·I[i] (+ b_i[i])            (a user bias cannot change a user's ranking and is left untrained)
 * BPR:      loss = mean over positives of  w · softplus(−(s_ui − s_uj)),  j a sampled negative
 * softmax:  loss = mean over positives of −w · log softmax_j(s_uj − log q_j)[i] over {i} ∪ negatives
 * </pre>
 *
 * <p>{@code w} is the positive's weight (its value in the training data), {@code q_j} the probability of
 * sampling {@code j} times the number of draws (the log-Q correction, so that sampled logits estimate the full
 * softmax); with the whole catalogue as negatives there is no correction. Negatives that are among the user's own
 * training items are redrawn (up to four times) for BPR; for the softmax a user's own positives among the shared
 * negatives are masked out of that user's softmax.
 *
 * <p>As a {@link TrainingStep} its examples are the training interactions (the positives): the loop shuffles
 * them, and each batch trains with the learning rate the loop set on the optimizer for it.
 */
final class HostRankingStep implements TrainingStep {

    private static final int REDRAWS = 4;

    private final CollabOptimizer optimizer;
    private final Objective objective;
    private final HostTables tables;
    private final int factors;
    private final int numItems;
    private final int[] users;
    private final int[] items;
    private final float[] weights;
    private final UserItems seen;
    private final NegativeSampler sampler;
    private final SplittableRandom random;
    private final RowBatcher userRows;
    private final RowBatcher itemRows;
    private final int[] userSlot;
    private final int[] itemSlot;
    private final int[] negativeItem;
    private final float[] userFactorGrad;
    private final float[] itemFactorGrad;
    private final float[] itemBiasGrad;
    private final boolean fullSoftmax;
    private final float[] logits;
    private final int batchSize;
    private final LossLog losses = new LossLog();
    private long[] order;

    HostRankingStep(CollabBlock block, CollabOptimizer optimizer, Objective objective, int[] users, int[] items,
            float[] weights, int batchSize, long seed) {
        this.optimizer = optimizer;
        this.objective = objective;
        this.tables = new HostTables(block);
        this.factors = tables.factors();
        this.numItems = block.getNumItems();
        this.users = users;
        this.items = items;
        this.weights = weights;
        this.batchSize = batchSize;
        this.seen = UserItems.of(block.getNumUsers(), users, items);
        Objective.NegativeSampling sampling = objective instanceof Objective.Bpr bpr ? bpr.sampling()
                : ((Objective.Softmax) objective).sampling();
        this.sampler = new NegativeSampler(numItems, items, sampling);
        this.random = new SplittableRandom(seed);
        int batch = Math.min(batchSize, users.length);
        int negatives = objective instanceof Objective.Softmax softmax ? Math.min(softmax.negatives(), numItems)
                : batch;
        fullSoftmax = objective instanceof Objective.Softmax softmax && softmax.negatives() >= numItems;
        userRows = new RowBatcher(block.getNumUsers());
        itemRows = new RowBatcher(numItems);
        userSlot = new int[batch];
        itemSlot = new int[batch];
        negativeItem = new int[negatives];
        int itemSlots = Math.min(numItems, batch + negatives);
        userFactorGrad = new float[Math.min(batch, block.getNumUsers()) * factors];
        itemFactorGrad = new float[itemSlots * factors];
        itemBiasGrad = tables.hasBiases() ? new float[itemSlots] : null;
        logits = objective instanceof Objective.Softmax ? new float[negatives + 1] : null;
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
        // Once per fit: per epoch it would churn table-sized copies through the heap.
        tables.load();
    }

    @Override
    public void beginEpoch(Epoch epoch) {
        // The positives are sliced on the host: one read of the epoch's order.
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

    @Override
    public void writeBack() {
        // The rows a step did not touch still owe it their weight decay and momentum: see updateHostRows.
        optimizer.catchUpHostRows(tables.userFactors().getId(), tables.uf, factors);
        optimizer.catchUpHostRows(tables.itemFactors().getId(), tables.itf, factors);
        if (tables.itemBias() != null) {
            optimizer.catchUpHostRows(tables.itemBias().getId(), tables.ib, 1);
        }
        tables.store();
    }

    @Override
    public void reload() {
        tables.load();
    }

    /**
     * One step on positives {@code permutation[from .. to)}.
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
        }
        double loss;
        if (objective instanceof Objective.Bpr) {
            for (int k = 0; k < size; k++) {
                int row = (int) permutation[from + k];
                negativeItem[k] = itemRows.slot(drawNegative(users[row]));
            }
            prepareRows();
            loss = bpr(permutation, from, size);
        } else {
            int negatives = negativeItem.length;
            if (fullSoftmax) {
                for (int j = 0; j < negatives; j++) {
                    negativeItem[j] = itemRows.slot(j);
                }
            } else {
                for (int j = 0; j < negatives; j++) {
                    negativeItem[j] = itemRows.slot(sampler.draw(random));
                }
            }
            prepareRows();
            loss = softmax(permutation, from, size);
        }
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        optimizer.updateHostRows(tables.userFactors().getId(), tables.uf, factors, userIndex, userRows.count(),
                userFactorGrad);
        optimizer.updateHostRows(tables.itemFactors().getId(), tables.itf, factors, itemIndex, itemRows.count(),
                itemFactorGrad);
        if (itemBiasGrad != null) {
            optimizer.updateHostRows(tables.itemBias().getId(), tables.ib, 1, itemIndex, itemRows.count(),
                    itemBiasGrad);
        }
        return (float) loss;
    }

    /** Brings the batch's rows up to date, so that the forward pass sees what dense updates would have left. */
    private void prepareRows() {
        optimizer.catchUpHostRows(tables.userFactors().getId(), tables.uf, factors, userRows.rows(), userRows.count());
        optimizer.catchUpHostRows(tables.itemFactors().getId(), tables.itf, factors, itemRows.rows(),
                itemRows.count());
        if (tables.itemBias() != null) {
            optimizer.catchUpHostRows(tables.itemBias().getId(), tables.ib, 1, itemRows.rows(), itemRows.count());
        }
        Arrays.fill(userFactorGrad, 0, userRows.count() * factors, 0f);
        Arrays.fill(itemFactorGrad, 0, itemRows.count() * factors, 0f);
        if (itemBiasGrad != null) {
            Arrays.fill(itemBiasGrad, 0, itemRows.count(), 0f);
        }
    }

    private int drawNegative(int user) {
        int j = sampler.draw(random);
        for (int t = 0; t < REDRAWS && seen.contains(user, j); t++) {
            j = sampler.draw(random);
        }
        return j;
    }

    private float score(int u, int i) {
        float s = ImplicitAlsSolver.dot4(tables.uf, u * factors, tables.itf, i * factors, factors);
        return tables.ib != null ? s + tables.ib[i] : s;
    }

    private double bpr(long[] permutation, int from, int size) {
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        double sum = 0;
        for (int k = 0; k < size; k++) {
            float w = weights[(int) permutation[from + k]];
            int u = userIndex[userSlot[k]];
            int i = itemIndex[itemSlot[k]];
            int j = itemIndex[negativeItem[k]];
            double x = score(u, i) - score(u, j);
            // softplus(−x), and its derivative −σ(−x), computed without overflow.
            sum += w * (x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x)));
            float d = (float) (-w / (1 + Math.exp(x)) / size);
            addPair(userSlot[k], u, itemSlot[k], i, d);
            addPair(userSlot[k], u, negativeItem[k], j, -d);
        }
        return sum / size;
    }

    private double softmax(long[] permutation, int from, int size) {
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        int negatives = negativeItem.length;
        double logDraws = Math.log(negatives);
        double sum = 0;
        for (int k = 0; k < size; k++) {
            float w = weights[(int) permutation[from + k]];
            int u = userIndex[userSlot[k]];
            int i = itemIndex[itemSlot[k]];
            float max = Float.NEGATIVE_INFINITY;
            // Slot 0 is the positive; with the whole catalogue the positive is also among the "negatives" and
            // is masked there, so that it appears once.
            logits[0] = fullSoftmax ? score(u, i) : (float) (score(u, i) - sampler.logProbability(i) - logDraws);
            max = logits[0];
            for (int n = 0; n < negatives; n++) {
                int j = itemIndex[negativeItem[n]];
                if (j == i || seen.contains(u, j)) {
                    logits[n + 1] = Float.NEGATIVE_INFINITY;
                    continue;
                }
                float l = fullSoftmax ? score(u, j) : (float) (score(u, j) - sampler.logProbability(j) - logDraws);
                logits[n + 1] = l;
                max = Math.max(max, l);
            }
            double z = 0;
            for (int n = 0; n <= negatives; n++) {
                z += Math.exp(logits[n] - max);
            }
            double logZ = max + Math.log(z);
            sum += w * (logZ - logits[0]);
            float scale = w / (float) size;
            // ∂loss/∂logit_n = p_n − [n = positive]
            addPair(userSlot[k], u, itemSlot[k], i, scale * (float) (Math.exp(logits[0] - logZ) - 1));
            for (int n = 0; n < negatives; n++) {
                if (logits[n + 1] == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                float d = scale * (float) Math.exp(logits[n + 1] - logZ);
                addPair(userSlot[k], u, negativeItem[n], itemIndex[negativeItem[n]], d);
            }
        }
        return sum / size;
    }

    /** Adds {@code d · ∂s_ui/∂θ} to the gradients of user {@code u} (slot {@code us}) and item {@code i}. */
    private void addPair(int us, int u, int is, int i, float d) {
        int uo = u * factors;
        int io = i * factors;
        int ugo = us * factors;
        int igo = is * factors;
        float[] uf = tables.uf;
        float[] itf = tables.itf;
        for (int c = 0; c < factors; c++) {
            userFactorGrad[ugo + c] += d * itf[io + c];
            itemFactorGrad[igo + c] += d * uf[uo + c];
        }
        if (itemBiasGrad != null) {
            itemBiasGrad[is] += d;
        }
    }

    @Override
    public void close() {
        // Nothing native: the tables' direct buffers are released with the step.
    }

    /** Draws items uniformly or in proportion to their interactions plus one. */
    static final class NegativeSampler {
        private final int items;
        private final double[] cumulative;
        private final double[] logProbability;

        NegativeSampler(int items, int[] itemOf, Objective.NegativeSampling sampling) {
            this.items = items;
            this.logProbability = new double[items];
            if (sampling == Objective.NegativeSampling.UNIFORM) {
                cumulative = null;
                Arrays.fill(logProbability, -Math.log(items));
            } else {
                double[] counts = new double[items];
                Arrays.fill(counts, 1);
                for (int i : itemOf) {
                    counts[i]++;
                }
                double total = itemOf.length + (double) items;
                cumulative = new double[items];
                double run = 0;
                for (int i = 0; i < items; i++) {
                    run += counts[i] / total;
                    cumulative[i] = run;
                    logProbability[i] = Math.log(counts[i] / total);
                }
                cumulative[items - 1] = 1.0;
            }
        }

        int draw(SplittableRandom random) {
            if (cumulative == null) {
                return random.nextInt(items);
            }
            int at = Arrays.binarySearch(cumulative, random.nextDouble());
            return Math.min(items - 1, at >= 0 ? at : -at - 1);
        }

        double logProbability(int item) {
            return logProbability[item];
        }
    }

    /** Each user's distinct training items, sorted, for membership tests. */
    record UserItems(int[] offsets, int[] items) {

        static UserItems of(int users, int[] userOf, int[] itemOf) {
            int[] offsets = new int[users + 1];
            for (int u : userOf) {
                offsets[u + 1]++;
            }
            for (int u = 0; u < users; u++) {
                offsets[u + 1] += offsets[u];
            }
            int[] fill = offsets.clone();
            int[] all = new int[userOf.length];
            for (int e = 0; e < userOf.length; e++) {
                all[fill[userOf[e]]++] = itemOf[e];
            }
            for (int u = 0; u < users; u++) {
                Arrays.sort(all, offsets[u], offsets[u + 1]);
            }
            return new UserItems(offsets, all);
        }

        boolean contains(int user, int item) {
            return Arrays.binarySearch(items, offsets[user], offsets[user + 1], item) >= 0;
        }
    }

    /** The factor and bias tables of a dot block as host copies, written back through reused direct buffers. */
    static final class HostTables {
        private final Parameter userFactors;
        private final Parameter itemFactors;
        private final Parameter itemBias;
        private final int factors;
        private final java.nio.ByteBuffer[] storage = new java.nio.ByteBuffer[3];
        float[] uf;
        float[] itf;
        float[] ib;

        HostTables(CollabBlock block) {
            userFactors = block.getUserTables().get(0);
            itemFactors = block.getItemTables().get(0);
            itemBias = block.getItemTables().size() > 1 ? block.getItemTables().get(1) : null;
            factors = Math.toIntExact(userFactors.getArray().getShape().get(1));
        }

        int factors() {
            return factors;
        }

        boolean hasBiases() {
            return itemBias != null;
        }

        Parameter userFactors() {
            return userFactors;
        }

        Parameter itemFactors() {
            return itemFactors;
        }

        Parameter itemBias() {
            return itemBias;
        }

        void load() {
            uf = org.collab4j.util.NDArrays.toFloatArray(userFactors.getArray());
            itf = org.collab4j.util.NDArrays.toFloatArray(itemFactors.getArray());
            ib = itemBias != null ? org.collab4j.util.NDArrays.toFloatArray(itemBias.getArray()) : null;
        }

        void store() {
            write(userFactors, uf, 0);
            write(itemFactors, itf, 1);
            if (itemBias != null) {
                write(itemBias, ib, 2);
            }
        }

        private void write(Parameter parameter, float[] values, int table) {
            java.nio.ByteBuffer buffer = storage[table];
            if (buffer == null) {
                buffer = java.nio.ByteBuffer.allocateDirect(values.length * Float.BYTES)
                        .order(java.nio.ByteOrder.nativeOrder());
                storage[table] = buffer;
            }
            buffer.asFloatBuffer().put(values);
            parameter.getArray().set(buffer);
        }
    }
}
