package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureMatrixTest {

    /** Features: a, b (categorical), year (numeric); rows {a, b, year -2}, {year 0.5}, {a}, {}. */
    private static final FeatureMatrix M = FeatureMatrix.of(new int[] {0, 3, 4, 5, 5}, new int[] {0, 1, 2, 2, 0},
            new float[] {1f, 1f, -2f, 0.5f, 1f}, 3);

    @Test
    void categoricalMeanAveragesTheCategoricalAndKeepsTheNumeric() {
        FeatureMatrix m = M.categoricalMean(new boolean[] {false, false, true});
        assertArrayEquals(new float[] {0.5f, 0.5f, -2f, 0.5f, 1f}, m.values(), 0f);
        assertArrayEquals(M.columns(), m.columns());
        // LightFM's mean divides the numeric ones too.
        assertArrayEquals(new float[] {0.25f, 0.25f, -0.5f, 1f, 1f}, M.rowNormalized().values(), 0f);
    }

    @Test
    void categoricalMeanNeedsAMarkPerFeature() {
        assertThrows(IllegalArgumentException.class, () -> M.categoricalMean(new boolean[] {false, true}));
    }
}
