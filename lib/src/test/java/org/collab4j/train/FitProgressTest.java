package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The epoch table, the smoothed train loss and the loss cadence a fit shows. */
class FitProgressTest {

    /** fast.ai's debiased exponential mean: the losses weighted 0.98^age, divided by the sum of the weights. */
    private static double debiasedMean(float[] losses) {
        double weighted = 0;
        double weights = 0;
        for (int k = 0; k < losses.length; k++) {
            double w = Math.pow(0.98, losses.length - 1 - k);
            weighted += w * losses[k];
            weights += w;
        }
        return weighted / weights;
    }

    @Test
    void theTrainLossIsTheDebiasedMeanOverTheFit() {
        FitProgress progress = new FitProgress(null, false, false, 0, 2, 3);
        float[] losses = {4f, 1f, 2.5f, 0.5f, 3f};
        progress.startEpoch(1);
        assertTrue(Double.isNaN(progress.smoothedLoss()), "no loss yet");
        for (int k = 0; k < 3; k++) {
            progress.loss(k, k, losses[k]);
        }
        assertEquals(debiasedMean(new float[] {4f, 1f, 2.5f}), progress.smoothedLoss(), 1e-12);
        progress.startEpoch(2);
        assertTrue(Double.isNaN(progress.smoothedLoss()), "an epoch starts without a loss");
        progress.loss(3, 0, losses[3]);
        progress.loss(4, 1, losses[4]);
        assertEquals(debiasedMean(losses), progress.smoothedLoss(), 1e-12, "the mean runs on over the fit");
    }

    @Test
    void printsTheHeaderAndARowPerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        FitProgress progress = new FitProgress(out, false, true, 0, 1, 10);
        progress.row(new EpochResult(1, 0.9, 0.8, Math.sqrt(0.8), 1.5, Double.NaN, Double.NaN));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(2, lines.length);
        assertEquals(EpochTable.header(true, 0), lines[0]);
        assertEquals(EpochTable.row(new EpochResult(1, 0.9, 0.8, Math.sqrt(0.8), 1.5, Double.NaN, Double.NaN), true,
                0), lines[1]);
        FitProgress silent = new FitProgress(null, true, true, 0, 1, 10);
        silent.row(new EpochResult(1, 0.9, 0.8, Math.sqrt(0.8), 1.5, Double.NaN, Double.NaN));
        assertEquals(10, silent.lossCadence(0), "no output, no bar: once an epoch");
    }

    @Test
    void theLossIsReadAsAskedOrAsTheBarNeeds() {
        FitProgress plain = new FitProgress(null, false, false, 0, 1, 1000);
        assertEquals(1000, plain.lossCadence(0));
        assertEquals(7, plain.lossCadence(7));
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        FitProgress withBar = new FitProgress(out, true, false, 0, 1, 1000);
        assertEquals(10, withBar.lossCadence(0), "about a hundred reads an epoch");
        assertEquals(7, withBar.lossCadence(7));
        assertEquals(1, new FitProgress(out, true, false, 0, 1, 50).lossCadence(0));
    }
}
