package org.collab4j.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.optimizer.Adam;
import org.junit.jupiter.api.Test;

/** The one step knob's value, and what the planner makes of each choice (without building a learner). */
class StepChoiceTest {

    private static StepPlan plan(StepChoice choice, CollabBlock block, Device device, long rows, Objective objective) {
        return StepPlanner.plan(new StepPlanner.Request(choice, device, block, Adam.builder().build(), 64, 10_000,
                rows, objective));
    }

    @Test
    void aChoiceNamesAStepAndPerhapsItsUpdates() {
        assertEquals(StepChoice.HOST, StepChoice.parse("host"));
        assertEquals(StepChoice.HOST, StepChoice.of(StepKind.HOST));
        assertNull(StepChoice.DEVICE.touchedRows());
        assertEquals(Boolean.TRUE, StepChoice.DEVICE.touchedRows(true).touchedRows());
        assertEquals(StepChoice.DEVICE.touchedRows(true), StepChoice.DEVICE.touchedRows(true));
        assertEquals("host, touched rows", StepChoice.HOST.touchedRows(true).toString());
        assertEquals("djl, dense updates", StepChoice.DJL.touchedRows(false).toString());
        assertEquals("dense", StepChoice.DENSE.touchedRows(false).toString());
        assertTrue(StepChoice.DJL.djlOnly());
        for (StepKind objectivesOwn : new StepKind[] {StepKind.RANKING, StepKind.DEVICE_RANKING, StepKind.ALS}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StepChoice.of(objectivesOwn));
            assertTrue(e.getMessage().contains("follows from the objective"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> StepChoice.parse("ranking"));
    }

    @Test
    void thePlannerFollowsTheChoice() {
        CollabBlock dot = EmbeddingDotBias.builder().optFactors(4).setNumUsers(10).setNumItems(10).build();
        CollabBlock net = EmbeddingNet.builder().optFactors(4).optHidden(4).setNumUsers(10).setNumItems(10).build();
        Objective mse = Objective.mse();
        // The rule: the host engine for the dot models on the CPU; a batch of 64 touches fewer than 1,000 rows.
        StepPlan auto = plan(StepChoice.AUTO, dot, Device.cpu(), 1_000, mse);
        assertEquals("host-touched", auto.name());
        assertEquals("host", plan(StepChoice.AUTO.touchedRows(false), dot, Device.cpu(), 1_000, mse).name());
        assertTrue(plan(StepChoice.AUTO.touchedRows(false), dot, Device.cpu(), 1_000, mse).reason()
                .contains("dense updates as asked"));
        // DJL's own steps: dense below 50,000 rows on the CPU, touched rows from there or when asked.
        assertEquals(StepKind.DENSE, plan(StepChoice.DJL, dot, Device.cpu(), 1_000, mse).kind());
        assertEquals(StepKind.TOUCHED, plan(StepChoice.DJL, dot, Device.cpu(), StepPlanner.SPARSE_AUTO_ROWS, mse)
                .kind());
        assertEquals(StepKind.TOUCHED, plan(StepChoice.DJL.touchedRows(true), dot, Device.cpu(), 1_000, mse).kind());
        // Without a host engine the rule's dense step is the device engine's.
        assertEquals("device", plan(StepChoice.AUTO, net, Device.cpu(), 1_000, mse).name());
        assertEquals("device-touched", plan(StepChoice.DEVICE.touchedRows(true), net, Device.cpu(), 1_000, mse)
                .name());
        // A ranking objective's updates are its engine's own: asking for them is refused.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan(StepChoice.HOST.touchedRows(true), dot, Device.cpu(), 1_000, Objective.bpr()));
        assertTrue(e.getMessage().contains("bpr"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan(StepChoice.DJL, dot, Device.cpu(), 1_000,
                Objective.warp()));
        assertEquals(StepKind.RANKING, plan(StepChoice.HOST, dot, Device.gpu(), 1_000, Objective.warp()).kind());
    }
}
