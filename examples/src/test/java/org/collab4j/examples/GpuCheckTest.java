package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.junit.jupiter.api.Test;

import java.util.List;

class GpuCheckTest {

    private static String lineStartingWith(List<String> lines, String label) {
        return lines.stream().filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + label + "' in\n"
                        + String.join("\n", lines)));
    }

    @Test
    void printsWhatTheEngineSeesAndTrainsOnTheChosenDevice() {
        String[] result = run("gpu-check", "--batches", "20", "--bs", "256", "--users", "200", "--items", "100",
                "--factors", "8");
        assertEquals("0", result[0], result[2]);
        List<String> lines = result[1].lines().toList();
        assertTrue(lineStartingWith(lines, "DJL ").endsWith("0.25.0"), result[1]);
        assertTrue(lineStartingWith(lines, "PyTorch ").endsWith("2.0.1"), result[1]);
        assertTrue(lineStartingWith(lines, "Natives ").contains("flavour"), result[1]);
        assertTrue(lineStartingWith(lines, "CUDA ").matches("CUDA +(yes|no): .*"), result[1]);
        assertTrue(lineStartingWith(lines, "GPUs ").matches("GPUs +\\d+ usable by the engine; \\d+ counted .*"),
                result[1]);
        String device = lineStartingWith(lines, "Device ");
        assertTrue(lineStartingWith(lines, "Training ").contains("5 epochs x 4 batches (1024 synthetic ratings)"),
                result[1]);
        assertTrue(lineStartingWith(lines, "Speed ").matches("Speed +20 batches, 5120 ratings in \\d+\\.\\d+ s: \\d+"
                + " ratings/s; after the first epoch \\d+ ratings/s"), result[1]);
        String used = lineStartingWith(lines, "Device used ");
        // The learner chooses its device the same way as the Device line reports it.
        assertEquals(device.replaceFirst("^Device +", ""), used.replaceFirst("^Device used +", ""), result[1]);
        if (used.contains("cpu()")) {
            assertTrue(result[1].contains("training on the CPU."), result[1]);
        }
    }

    @Test
    void rejectsAZeroBatchCountWithExitTwo() {
        String[] result = run("gpu-check", "--batches", "0");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("--batches"), result[2]);
    }

    @Test
    void splitsTheBatchesIntoFiveEpochsOrMoreForBigBatches() {
        assertEquals(5, GpuCheck.epochs(300, 8192));   // 60 batches of 8192 = 491,520 ratings an epoch
        assertEquals(5, GpuCheck.epochs(20, 256));
        assertEquals(3, GpuCheck.epochs(3, 1024));     // never more epochs than batches
        assertEquals(10, GpuCheck.epochs(300, 65536)); // 30 batches of 65,536 = 1.97 M ratings an epoch
    }

    @Test
    void syntheticRatingsCoverEveryUserAndItemAndStayInRange() {
        Ratings ratings = GpuCheck.syntheticRatings(50, 30, 400, 7);
        assertEquals(400, ratings.size());
        assertEquals(50, ratings.users().size());
        assertEquals(30, ratings.items().size());
        assertTrue(ratings.minRating() >= 0.5f && ratings.maxRating() <= 5f, ratings.toString());
        assertEquals(ratings.toString(), GpuCheck.syntheticRatings(50, 30, 400, 7).toString(), "same seed, same data");
    }
}
