package org.collab4j.data;

/**
 * The z-score of a numeric feature column: its mean and population standard deviation over the ids that have a
 * number, as the {@link FeatureFormat} reader standardises the column ({@code (x − mean) / sd}). A feature table
 * records its numeric columns' scales ({@link FeatureTable#numericScales()}) and a hybrid model keeps those it
 * trained with, so that a table read later — a file of new items only, whose own mean and spread differ — is put
 * back on the model's scale ({@link #restandardised}) before it is served.
 *
 * <p>A standard deviation of 0 is a constant column (or one with no number at all): every value standardises to 0.
 *
 * @param mean the column's mean, finite
 * @param sd the column's population standard deviation, finite and {@code >= 0}
 */
public record NumericScale(double mean, double sd) {

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the mean or the standard deviation is not finite, or the deviation is
     *     negative
     */
    public NumericScale {
        if (!Double.isFinite(mean) || !Double.isFinite(sd) || sd < 0) {
            throw new IllegalArgumentException("a numeric scale needs a finite mean and a finite standard deviation"
                    + " >= 0, not mean " + mean + " and sd " + sd);
        }
    }

    /**
     * The z-score of a number on this scale.
     *
     * @param x the number
     * @return {@code (x − mean) / sd}, or 0 on a constant column
     */
    public double standardise(double x) {
        return sd == 0 ? 0 : (x - mean) / sd;
    }

    /**
     * The number a z-score on this scale stands for.
     *
     * @param z the z-score
     * @return {@code z · sd + mean}
     */
    public double unstandardise(double z) {
        return z * sd + mean;
    }

    /**
     * A z-score of {@code from}'s put on this scale: {@code standardise(from.unstandardise(z))}. A value of a column
     * constant in its own file ({@code from.sd() == 0}) is that column's mean, as it should be.
     *
     * @param z a z-score on {@code from}
     * @param from the scale {@code z} was computed on (a served file's)
     * @return the z-score on this scale (a model's)
     */
    public float restandardised(float z, NumericScale from) {
        return (float) standardise(from.unstandardise(z));
    }
}
