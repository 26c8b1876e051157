package org.collab4j.train;

import ai.djl.engine.Engine;

import org.collab4j.io.Provenance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a learner has done so far — every fit called and every epoch trained, over all fits — and the
 * {@link Provenance} assembled from it and the learner's settings for {@link CollabLearner#fittedModel()}.
 */
final class TrainingLog {

    private final List<FitRecord> fits = new ArrayList<>();
    private final List<EpochResult> epochs = new ArrayList<>();

    /** Records a fit as it starts. */
    void addFit(FitRecord fit) {
        fits.add(fit);
    }

    /** Records an epoch as it ends. */
    void addEpoch(EpochResult epoch) {
        epochs.add(epoch);
    }

    /** The fits, oldest first, read-only. */
    List<FitRecord> fits() {
        return Collections.unmodifiableList(fits);
    }

    /** The epochs, oldest first, read-only. */
    List<EpochResult> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** How the learner's model was trained so far; {@code createdAt} now. */
    Provenance provenance(CollabLearner learner) {
        List<Provenance.Fit> fitRows = new ArrayList<>();
        for (FitRecord f : fits) {
            fitRows.add(new Provenance.Fit(f.schedule(), f.epochs(), f.learningRate()));
        }
        List<Provenance.Epoch> epochRows = new ArrayList<>();
        for (EpochResult e : epochs) {
            epochRows.add(new Provenance.Epoch(e.epoch(), e.trainLoss(), e.validLoss(), e.validRmse(), e.seconds()));
        }
        return new Provenance(learner.modelDescription(), learner.getSeed(), learner.getBatchSize(),
                learner.getOptimizer().toString(), learner.getOptimizer().getWeightDecay(), fitRows, epochRows,
                learner.getDevice().device().toString(), learner.getDevice().reason(), Engine.getDjlVersion(),
                learner.getModel().getNDManager().getEngine().getVersion(), learner.getTrainData().size(),
                learner.getValidData() == null ? 0 : learner.getValidData().size(), Provenance.now(),
                learner.getStepPlan().toString());
    }
}
