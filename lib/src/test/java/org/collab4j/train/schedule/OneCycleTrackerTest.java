package org.collab4j.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OneCycleTrackerTest {

    @Test
    void learningRateWarmsUpToTheMaxAtAQuarterThenAnneals() {
        OneCycleTracker lr = OneCycleTracker.learningRate(0.01f, 100);
        assertEquals(0.01f / 25, lr.getNewValue(0), 1e-9f);
        // halfway through the warm-up a cosine is halfway between its ends
        assertEquals((0.01f / 25 + 0.01f) / 2, lr.getNewValue(12) + (lr.getNewValue(13) - lr.getNewValue(12)) / 2,
                2e-4f);
        assertEquals(0.01f, lr.getNewValue(25), 1e-9f);
        assertEquals((0.01f + 0.01f / 1e5f) / 2, lr.getNewValue(25 + 75 / 2) + 0f, 2e-4f);
        assertEquals(0.01f / 1e5f, lr.getNewValue(100), 1e-9f);
        assertEquals(0.01f / 1e5f, lr.getNewValue(1000), 1e-9f);
    }

    @Test
    void momentumMovesOppositeToTheLearningRate() {
        OneCycleTracker mom = OneCycleTracker.momentum(40);
        assertEquals(0.95f, mom.getNewValue(0), 1e-7f);
        assertEquals(0.85f, mom.getNewValue(10), 1e-7f);
        assertEquals(0.90f, mom.getNewValue(25), 1e-7f);
        assertEquals(0.95f, mom.getNewValue(40), 1e-7f);
    }

    @Test
    void cosineMatchesFastAisSchedCos() {
        // fast.ai: start + (1 + cos(pi * (1 - pos))) * (end - start) / 2
        assertEquals(2f, OneCycleTracker.cosine(2f, 4f, 0f), 1e-7f);
        assertEquals(3f, OneCycleTracker.cosine(2f, 4f, 0.5f), 1e-6f);
        assertEquals(2f + (1 + Math.cos(Math.PI * 0.75)) * 2 / 2, OneCycleTracker.cosine(2f, 4f, 0.25f), 1e-6f);
        assertEquals(4f, OneCycleTracker.cosine(2f, 4f, 1f), 1e-7f);
    }

    @Test
    void rejectsMissingSettings() {
        assertThrows(IllegalArgumentException.class, () -> OneCycleTracker.builder().setTotalSteps(10).build());
        assertThrows(IllegalArgumentException.class,
                () -> OneCycleTracker.builder().setValues(1, 2, 3).setTotalSteps(0).build());
    }
}
