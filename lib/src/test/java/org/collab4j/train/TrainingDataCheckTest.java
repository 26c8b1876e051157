package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.model.YRange;
import org.junit.jupiter.api.Test;

/** The checks of a learner's data before anything is trained: ratings training cannot survive. */
class TrainingDataCheckTest {

    @Test
    void aRatingWhoseSquareOverflowsIsFound() {
        Ratings fine = Ratings.builder().add("a", "x", 5).add("b", "y", -1e6f).build();
        assertEquals(-1, CollabLearner.overflowingRating(fine, YRange.MOVIELENS, 64));
        Ratings bad = Ratings.builder().add("a", "x", 5).add("b", "y", 1e30f).add("c", "z", 4).build();
        assertEquals(1, CollabLearner.overflowingRating(bad, YRange.MOVIELENS, 64));
        assertEquals(1, CollabLearner.overflowingRating(bad, null, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(bad).build());
        assertTrue(e.getMessage().contains("1.0E30") && e.getMessage().contains("data error")
                && !e.getMessage().contains("learning rate (1e-3"), e.getMessage());
    }

    /** The limit is where a batch's summed squared errors reach {@code Float.MAX_VALUE}, less the y-range's reach. */
    @Test
    void theLimitFollowsTheBatchAndTheRange() {
        double limit = Math.sqrt(Float.MAX_VALUE / 4.0);
        Ratings below = Ratings.builder().add("a", "x", (float) (limit / 2)).build();
        Ratings above = Ratings.builder().add("a", "x", (float) (limit * 2)).build();
        assertEquals(-1, TrainingDataCheck.overflowingRating(below, null, 1));
        assertEquals(0, TrainingDataCheck.overflowingRating(above, null, 1));
        Ratings pair = Ratings.builder().add("a", "x", (float) (limit / 1.2)).add("b", "y", 1).build();
        assertEquals(-1, TrainingDataCheck.overflowingRating(pair, null, 1));
        assertEquals(0, TrainingDataCheck.overflowingRating(pair, null, 2), "two ratings in a batch halve the room");
        assertEquals(TrainingDataCheck.overflowingRating(pair, YRange.MOVIELENS, 64),
                CollabLearner.overflowingRating(pair, YRange.MOVIELENS, 64));
    }
}
