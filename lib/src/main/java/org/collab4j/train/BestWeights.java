package org.collab4j.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps the weights of the epoch with the lowest validation loss and puts them back into the model when the fit
 * ends; optionally also saves them with DJL's {@code Model.save} each time they improve, written to a temporary
 * directory first and moved into place so that a crash never leaves a half-written file.
 */
public final class BestWeights implements FitListener {

    private static final Logger logger = LoggerFactory.getLogger(BestWeights.class);

    private final Path saveDir;
    private WeightsSnapshot best;
    private double bestLoss;
    private int bestEpoch;

    private BestWeights(Path saveDir) {
        this.saveDir = saveDir;
    }

    /**
     * Keeps the best weights in memory and restores them at the end of the fit.
     *
     * @return the listener
     */
    public static BestWeights keep() {
        return new BestWeights(null);
    }

    /**
     * Keeps the best weights, restores them at the end of the fit, and saves them to
     * {@code dir/best-0000.params} (DJL's parameter file) whenever they improve.
     *
     * @param dir the directory to save into
     * @return the listener
     */
    public static BestWeights saveTo(Path dir) {
        return new BestWeights(dir);
    }

    /**
     * Returns the epoch (within the last fit) whose weights are kept, or 0 before any epoch.
     *
     * @return the best epoch
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Returns the best validation figure seen in the last fit ({@link EpochResult#watched()}: the validation
     * loss, or −NDCG@k for a ranking objective).
     *
     * @return the best figure
     */
    public double bestLoss() {
        return bestLoss;
    }

    @Override
    public void onFitStart(CollabLearner learner, int epochs) {
        if (learner.getValidData() == null) {
            throw new IllegalStateException("BestWeights watches the validation loss: give the learner"
                    + " validation data (setData(split) or optValidData)");
        }
        best = null;
        bestLoss = Double.POSITIVE_INFINITY;
        bestEpoch = 0;
    }

    @Override
    public boolean onEpochEnd(CollabLearner learner, EpochResult result) {
        if (result.watched() < bestLoss) {
            bestLoss = result.watched();
            bestEpoch = result.epoch();
            best = learner.snapshotWeights();
            if (saveDir != null) {
                save(learner);
            }
        }
        return false;
    }

    @Override
    public void onFitEnd(CollabLearner learner) {
        if (best != null) {
            learner.restoreWeights(best);
            logger.info("Restored the weights of epoch {} (valid loss {})", bestEpoch, bestLoss);
        }
    }

    private void save(CollabLearner learner) {
        try {
            Files.createDirectories(saveDir);
            Path tmp = Files.createTempDirectory(saveDir, ".best-");
            learner.getModel().save(tmp, "best");
            Files.move(tmp.resolve("best-0000.params"), saveDir.resolve("best-0000.params"),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (var left = Files.list(tmp)) {
                for (Path p : left.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the best weights to " + saveDir, e);
        }
    }
}
