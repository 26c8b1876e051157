package org.collab4j.recommend;

/**
 * Errors of a model's predictions against known ratings.
 *
 * @param mse the mean squared error
 * @param rmse the root mean squared error
 * @param mae the mean absolute error
 * @param count the number of ratings compared
 */
public record Evaluation(double mse, double rmse, double mae, long count) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "RMSE %.4f MAE %.4f (MSE %.4f, %d ratings)", rmse, mae, mse, count);
    }
}
