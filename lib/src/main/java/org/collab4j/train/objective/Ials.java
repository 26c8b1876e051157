package org.collab4j.train.objective;

/**
 * Implicit ALS: minimises {@code Σ_observed c·(t − x_u·y_i)² + α0·Σ_all (x_u·y_i)²} plus
 * {@code λ·(n + α0·N)·|row|²} for each row, where {@code c} and {@code t} are an interaction's confidence and target,
 * {@code n} the row's interactions and {@code N} the size of the other side. Solved in closed form, one row at a
 * time, by the ALS engine ({@code org.collab4j.train.als}): the objective carries its settings only.
 *
 * @param unobservedWeight α0, the weight of every pair being 0, {@code > 0}
 * @param regularization λ, {@code >= 0}
 * @param cgSteps conjugate-gradient steps per row and sweep, at least 1
 */
public record Ials(float unobservedWeight, float regularization, int cgSteps) implements Objective {

    /**
     * α0 = 0.2, λ = 0.01, 3 conjugate-gradient steps: chosen on an inner 80/20 split of the training part of
     * ml-latest-small (docs/benchmarks.md), never on its test part; the best of a grid of α0 and λ on an inner split
     * of FilmTrust's training part too (issue 26), so no rule that scales them with the data's size or density was
     * kept.
     */
    public static final Ials DEFAULT = new Ials(0.2f, 0.01f, 3);

    /**
     * Checks the values.
     *
     * @param unobservedWeight α0
     * @param regularization λ
     * @param cgSteps steps per row
     */
    public Ials {
        if (!(unobservedWeight > 0) || Float.isInfinite(unobservedWeight)) {
            throw new IllegalArgumentException("the unobserved weight α0 must be finite and > 0, got "
                    + unobservedWeight);
        }
        if (!(regularization >= 0) || Float.isInfinite(regularization)) {
            throw new IllegalArgumentException("the regularization λ must be finite and >= 0, got "
                    + regularization);
        }
        if (cgSteps < 1) {
            throw new IllegalArgumentException("cgSteps must be at least 1, got " + cgSteps);
        }
    }

    @Override
    public String name() {
        return "ials";
    }
}
