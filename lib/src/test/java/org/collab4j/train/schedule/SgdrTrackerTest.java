package org.collab4j.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SgdrTrackerTest {

    @Test
    void restartsAtTheMaximumAndCyclesGrow() {
        SgdrTracker lr = SgdrTracker.builder().setMaxValue(0.1f).setCycleSteps(10).optCycleMult(2).build();
        assertEquals(0.1f, lr.getNewValue(0), 1e-7f);
        assertEquals(0.05f, lr.getNewValue(5), 1e-6f); // half way down the first cycle
        assertEquals(0.1f * (1 + Math.cos(Math.PI * 0.9)) / 2, lr.getNewValue(9), 1e-6f);
        assertEquals(0.1f, lr.getNewValue(10), 1e-7f); // restart; the second cycle is 20 steps
        assertEquals(0.05f, lr.getNewValue(20), 1e-6f);
        assertEquals(0.1f, lr.getNewValue(30), 1e-7f); // third cycle, 40 steps
        assertEquals(0.05f, lr.getNewValue(50), 1e-6f);
        assertEquals(70, SgdrTracker.totalSteps(3, 10, 2));
    }

    @Test
    void annealsTowardsTheMinimum() {
        SgdrTracker lr = SgdrTracker.builder().setMaxValue(1f).optMinValue(0.5f).setCycleSteps(4).build();
        assertEquals(0.75f, lr.getNewValue(2), 1e-6f);
        assertEquals(1f, lr.getNewValue(4), 1e-6f);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> SgdrTracker.builder().setCycleSteps(3).build());
        assertThrows(IllegalArgumentException.class,
                () -> SgdrTracker.builder().setMaxValue(1f).setCycleSteps(3).optCycleMult(0).build());
    }
}
