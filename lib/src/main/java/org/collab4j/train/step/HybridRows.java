package org.collab4j.train.step;

import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.HostSplit;

import java.util.Arrays;

/**
 * The host engine's work on one side's {@link SideFeatures} within a batch: before the forward pass, the batch's
 * combined rows are made from their parts (each part first caught up, in touched-row mode); after the backward, each
 * combined row's gradient goes to its id embedding unchanged and to each of its features' vectors scaled by the
 * feature's weight (the chain rule of {@code row = id + Σ w_f · vector_f}); the optimizer then updates the parts.
 * The engine's scoring and chain rule into rows are those of the plain model: they read and differentiate the
 * combined rows, which this class keeps current for every row the batch reads.
 */
final class HybridRows {

    private final SideFeatures features;
    private final FeatureMatrix rows;
    private final CollabOptimizer optimizer;
    private final boolean touchedRows;
    private final HostSplit split;
    private final int factors;
    /** The optimizer-state keys of the id parts: the block's tables' ids (their state is the ids' state). */
    private final String idFactorsId;
    private final String idBiasId;
    private final RowBatcher featureRows;
    // Per slot of the batch's distinct features in touched-row mode, per feature in dense mode.
    private final float[] featureGrad;
    private final float[] featureBiasGrad;
    private int[] scratch = new int[16];
    private final int[] oneRow = new int[1];
    // Within a batch the parts do not change until the update: a row combined, or a feature caught up, in this batch
    // (stamped with its number) is current, and drawn negatives skip the work.
    private int batch;
    private final int[] combinedIn;
    private final int[] caughtUpIn;

    /**
     * @param features the side's parts
     * @param optimizer the optimizer
     * @param touchedRows whether the engine updates touched rows (caught up) or every row
     * @param split the update threads, or {@code null}
     * @param idFactorsId the block's factor table's parameter id
     * @param idBiasId the block's bias table's parameter id, or {@code null} where the engine does not train it
     */
    HybridRows(SideFeatures features, CollabOptimizer optimizer, boolean touchedRows, HostSplit split,
            String idFactorsId, String idBiasId) {
        this.features = features;
        this.rows = features.rows();
        this.optimizer = optimizer;
        this.touchedRows = touchedRows;
        this.split = split;
        this.factors = features.factors();
        this.idFactorsId = idFactorsId;
        this.idBiasId = features.biases() != null ? idBiasId : null;
        int count = rows.features();
        featureRows = new RowBatcher(Math.max(1, count));
        featureGrad = new float[count * factors];
        featureBiasGrad = this.idBiasId != null ? new float[count] : null;
        combinedIn = new int[rows.rows()];
        caughtUpIn = new int[count];
    }

    /** Splits the combined rows the engine loaded into parts ({@link SideFeatures#decompose}). */
    void load(float[] table, float[] bias) {
        features.decompose(table, idBiasId != null ? bias : null);
    }

    /**
     * Starts a batch on the batch's rows: slots their features, brings ids and features up to date (touched rows)
     * and writes the rows' combined values into the engine's tables.
     */
    void prepare(int[] batchRows, int count, float[] table, float[] bias) {
        batch++;
        featureRows.start();
        for (int s = 0; s < count; s++) {
            slotFeatures(batchRows[s]);
        }
        if (touchedRows) {
            catchUpIds(batchRows, count);
            int n = featureRows.count();
            if (scratch.length < n) {
                scratch = new int[n];
            }
            System.arraycopy(featureRows.rows(), 0, scratch, 0, n);
            catchUpFeatures(scratch, n);
        }
        for (int s = 0; s < count; s++) {
            combine(batchRows[s], table, bias);
        }
    }

    private void combine(int row, float[] table, float[] bias) {
        if (combinedIn[row] != batch) {
            combinedIn[row] = batch;
            features.combine(row, table, idBiasId != null ? bias : null);
        }
    }

    /** Brings one row (a drawn negative) and its features up to date and writes its combined values. */
    void catchUp(int row, float[] table, float[] bias) {
        if (combinedIn[row] == batch) {
            return;
        }
        if (touchedRows) {
            oneRow[0] = row;
            catchUpIds(oneRow, 1);
            int n = rows.end(row) - rows.start(row);
            if (scratch.length < n) {
                scratch = new int[n];
            }
            System.arraycopy(rows.columns(), rows.start(row), scratch, 0, n);
            catchUpFeatures(scratch, n);
        }
        combine(row, table, bias);
    }

    /** Gives a row's features slots in this batch (a new slot starts with a zero gradient). */
    void slotFeatures(int row) {
        int[] columns = rows.columns();
        for (int e = rows.start(row); e < rows.end(row); e++) {
            int count = featureRows.count();
            int slot = featureRows.slot(columns[e]);
            if (touchedRows && slot == count) {
                Arrays.fill(featureGrad, slot * factors, (slot + 1) * factors, 0f);
                if (featureBiasGrad != null) {
                    featureBiasGrad[slot] = 0f;
                }
            }
        }
    }

    private void catchUpIds(int[] ids, int count) {
        if (features.idEmbeddings()) {
            optimizer.catchUpHostRows(idFactorsId, features.ids(), factors, ids, count);
            if (idBiasId != null) {
                optimizer.catchUpHostRows(idBiasId, features.idBiases(), 1, ids, count);
            }
        }
    }

    /** Catches up the features not yet caught up in this batch; {@code featureIds} may be reordered. */
    private void catchUpFeatures(int[] featureIds, int count) {
        int behind = 0;
        for (int j = 0; j < count; j++) {
            int f = featureIds[j];
            if (caughtUpIn[f] != batch) {
                caughtUpIn[f] = batch;
                featureIds[behind++] = f;
            }
        }
        if (behind == 0) {
            return;
        }
        count = behind;
        optimizer.catchUpHostRows(features.vectorId(), features.vectors(), factors, featureIds, count);
        if (idBiasId != null) {
            optimizer.catchUpHostRows(features.biasId(), features.biases(), 1, featureIds, count);
        }
    }

    /**
     * Sends the combined rows' gradients to the parts and updates them.
     *
     * @param batchRows the batch's distinct rows, in slot order
     * @param count how many
     * @param rowGrad the combined rows' gradients, by slot (touched rows) or by row (dense)
     * @param rowBiasGrad the combined biases' gradients, likewise, or {@code null}
     */
    void update(int[] batchRows, int count, float[] rowGrad, float[] rowBiasGrad) {
        int[] columns = rows.columns();
        float[] weights = rows.values();
        boolean bias = idBiasId != null && rowBiasGrad != null;
        for (int s = 0; s < count; s++) {
            int row = batchRows[s];
            int go = (touchedRows ? s : row) * factors;
            for (int e = rows.start(row); e < rows.end(row); e++) {
                float w = weights[e];
                int f = touchedRows ? featureRows.slot(columns[e]) : columns[e];
                int fo = f * factors;
                for (int c = 0; c < factors; c++) {
                    featureGrad[fo + c] += w * rowGrad[go + c];
                }
                if (bias) {
                    featureBiasGrad[f] += w * rowBiasGrad[touchedRows ? s : row];
                }
            }
        }
        int featureCount = featureRows.count();
        int[] featureIds = featureRows.rows();
        if (touchedRows) {
            if (features.idEmbeddings()) {
                optimizer.updateHostRows(idFactorsId, features.ids(), factors, batchRows, count, rowGrad, split);
                if (bias) {
                    optimizer.updateHostRows(idBiasId, features.idBiases(), 1, batchRows, count, rowBiasGrad);
                }
            }
            optimizer.updateHostRows(features.vectorId(), features.vectors(), factors, featureIds, featureCount,
                    featureGrad, split);
            if (bias) {
                optimizer.updateHostRows(features.biasId(), features.biases(), 1, featureIds, featureCount,
                        featureBiasGrad);
            }
            return;
        }
        if (features.idEmbeddings()) {
            optimizer.updateHost(idFactorsId, features.ids(), rowGrad, split);
            if (bias) {
                optimizer.updateHost(idBiasId, features.idBiases(), rowBiasGrad);
            }
        }
        optimizer.updateHost(features.vectorId(), features.vectors(), featureGrad, split);
        if (bias) {
            optimizer.updateHost(features.biasId(), features.biases(), featureBiasGrad);
        }
        for (int s = 0; s < featureCount; s++) {
            int f = featureIds[s];
            Arrays.fill(featureGrad, f * factors, (f + 1) * factors, 0f);
            if (featureBiasGrad != null) {
                featureBiasGrad[f] = 0f;
            }
        }
    }

    /** Brings every part up to date (touched rows) and writes every combined row into the engine's tables. */
    void writeBack(float[] table, float[] bias) {
        if (touchedRows) {
            if (features.idEmbeddings()) {
                optimizer.catchUpHostRows(idFactorsId, features.ids(), factors);
                if (idBiasId != null) {
                    optimizer.catchUpHostRows(idBiasId, features.idBiases(), 1);
                }
            }
            optimizer.catchUpHostRows(features.vectorId(), features.vectors(), factors);
            if (idBiasId != null) {
                optimizer.catchUpHostRows(features.biasId(), features.biases(), 1);
            }
        }
        features.combineAll(table, idBiasId != null ? bias : null);
    }
}
