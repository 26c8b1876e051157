package org.collab4j.train.objective;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.TrainedModel;
import org.junit.jupiter.api.Test;

/**
 * Every built-in objective's name is one a model file may hold: io keeps its own list (it cannot depend on train),
 * and a loss registered here but missing there would train models that {@code TrainedModel.load} refuses.
 */
class ObjectiveNamesTest {

    @Test
    void everyRegisteredObjectiveCanBeSavedAndLoaded() {
        for (String name : Objectives.names()) {
            assertTrue(TrainedModel.KNOWN_OBJECTIVES.contains(name), name + " is registered in Objectives but not"
                    + " in TrainedModel.KNOWN_OBJECTIVES: add it there");
        }
    }
}
