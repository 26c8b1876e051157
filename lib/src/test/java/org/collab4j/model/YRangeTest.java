package org.collab4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The y-range a rating model gets from its training ratings' scale. */
class YRangeTest {

    @Test
    void starsUpToFiveKeepFastAisRange() {
        assertEquals(YRange.MOVIELENS, YRange.forRatings(0.5f, 5f, 0.5f), "MovieLens' half stars");
        assertEquals(YRange.MOVIELENS, YRange.forRatings(0.5f, 4f, 0.5f), "FilmTrust's 0.5-4");
        assertEquals(YRange.MOVIELENS, YRange.forRatings(1f, 5f, 1f), "ML-100k's whole stars");
    }

    @Test
    void otherScalesGetHalfAStepBeyondEachEnd() {
        assertEquals(new YRange(0f, 11f), YRange.forRatings(1f, 10f, 1f));
        assertEquals(new YRange(0f, 101f), YRange.forRatings(1f, 100f, 1f));
        assertEquals(new YRange(-1f, 6f), YRange.forRatings(0f, 5f, 1f), "0-5 reaches below 0.5");
        YRange continuous = YRange.forRatings(0f, 1f, 0f);
        assertEquals(-0.1f, continuous.low(), 1e-6f, "continuous scores: a tenth of the span");
        assertEquals(1.1f, continuous.high(), 1e-6f);
        assertEquals(new YRange(6f, 8f), YRange.forRatings(7f, 7f, 0f), "one value: 1 either side");
    }

    @Test
    void refusesWhatIsNoScale() {
        assertThrows(IllegalArgumentException.class, () -> YRange.forRatings(5f, 1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> YRange.forRatings(Float.NaN, 1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> YRange.forRatings(1f, 10f, -1f));
    }
}
