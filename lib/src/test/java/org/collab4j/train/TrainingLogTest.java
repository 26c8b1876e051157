package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.Provenance;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The record of a learner's fits and epochs, and the provenance built from it. */
class TrainingLogTest {

    @Test
    void theProvenanceListsEveryFitAndEpoch() {
        Split split = Splits.random(SyntheticRatings.generate(40, 30, 3, 0.3, 5), 0.2, 1);
        try (CollabLearner learner = CollabLearner.builder().setData(split).optBatchSize(32).optOutput(null)
                .build()) {
            learner.fitOneCycle(2, 5e-3f);
            learner.fit(1, 1e-3f);
            assertEquals(List.of(new FitRecord("one-cycle", 2, 5e-3f), new FitRecord("constant", 1, 1e-3f)),
                    learner.fits());
            assertEquals(3, learner.history().size());
            Provenance p = learner.fittedModel().getProvenance();
            assertEquals(List.of(new Provenance.Fit("one-cycle", 2, 5e-3f), new Provenance.Fit("constant", 1, 1e-3f)),
                    p.fits());
            assertEquals(3, p.history().size());
            for (int k = 0; k < 3; k++) {
                EpochResult e = learner.history().get(k);
                assertEquals(new Provenance.Epoch(e.epoch(), e.trainLoss(), e.validLoss(), e.validRmse(), e.seconds()),
                        p.history().get(k));
            }
            assertEquals(split.valid().size(), p.validRatings());
            assertEquals(learner.getBatchSize(), p.batchSize());
            assertEquals(learner.getBlock().toString(), p.model());
            assertEquals(learner.getDevice().reason(), p.deviceReason());
        }
    }
}
