package org.collab4j.examples;

import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.YRange;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.SeedAverage;
import org.collab4j.train.optimizer.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a check: the measurement behind docs/benchmarks.md's "Rating model: seeds, candidates and averaged models"
 * (issue 26). For each inner split folder (holding {@code train.csv} and {@code valid.csv}, made by
 * {@code split-ratings} from a fixed split's {@code train.csv}, never its {@code valid.csv}), each seed and each
 * variant, trains the rating model with the library's defaults changed as the variant says and prints the validation
 * RMSE and the seconds. A variant is {@code name:key=value,...} with keys {@code f} (factors), {@code wdx} (a multiple
 * of the default weight decay), {@code wd} (a weight decay), {@code lr}, {@code ep} (epochs), {@code bs}, {@code b2}
 * (Adam's β2), {@code eps} (Adam's ε), {@code yr} ({@code low/high}) and {@code n} (models averaged by {@code SeedAverage}, as
 * {@code train --average n}: seeds {@code seed, seed + 1, …}, their raw scores averaged, then squashed into the
 * y-range).
 *
 * <pre>
 * java -cp examples/target/collab4j-examples.jar:examples/target/test-classes \
 *     org.collab4j.examples.RatingDefaultsMeasurement /work/inner/s1-rows,/work/inner/ft-rows 1,2,3 \
 *     default: f100:f=100 avg2:n=2
 * </pre>
 *
 * or through Maven with {@code -Dcollab4j.ratingdefaults="DIRS SEEDS VARIANT..."}.
 */
@EnabledIfSystemProperty(named = "collab4j.ratingdefaults", matches = ".+")
class RatingDefaultsMeasurement {

    @Test
    void measure() throws IOException {
        main(System.getProperty("collab4j.ratingdefaults").trim().split("\\s+"));
    }

    public static void main(String[] args) throws IOException {
        String[] dirs = args[0].split(",");
        String[] seeds = args[1].split(",");
        for (String dir : dirs) {
            Path d = Path.of(dir);
            Ratings train = Ratings.read(d.resolve("train.csv"), RatingsFormat.MOVIELENS_CSV);
            Split split = Splits.combine(train, Ratings.read(d.resolve("valid.csv"), RatingsFormat.MOVIELENS_CSV));
            for (int v = 2; v < args.length; v++) {
                String name = args[v].substring(0, args[v].indexOf(':'));
                Map<String, String> opts = options(args[v].substring(args[v].indexOf(':') + 1));
                List<Double> values = new ArrayList<>();
                double secondsSum = 0;
                for (String seed : seeds) {
                    long t0 = System.nanoTime();
                    double[] r = run(split, Long.parseLong(seed), opts);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    secondsSum += seconds;
                    values.add(r[0]);
                    System.out.println(String.format(Locale.ROOT, "RUN %s %s seed %s RMSE %.5f (single %.5f)"
                            + " %.1f s", d.getFileName(), name, seed, r[0], r[1], seconds));
                }
                double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double var = values.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum()
                        / Math.max(1, values.size() - 1);
                System.out.println(String.format(Locale.ROOT, "RESULT %s %-12s %s mean %.5f sd %.5f min %.5f max %.5f"
                        + " %.1f s/run", d.getFileName(), name, opts, mean, Math.sqrt(var),
                        values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                        values.stream().mapToDouble(Double::doubleValue).max().orElse(0), secondsSum / seeds.length));
            }
        }
    }

    private static Map<String, String> options(String spec) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            if (!kv.isBlank()) {
                String[] p = kv.split("=");
                opts.put(p[0], p[1]);
            }
        }
        return opts;
    }

    /** @return the averaged models' RMSE and the first model's own, on the split's validation rows */
    private static double[] run(Split split, long seed, Map<String, String> o) {
        int n = Integer.parseInt(o.getOrDefault("n", "1"));
        Ratings train = split.train();
        YRange range = CollabLearnerBuilder.defaultYRange(train);
        if (o.containsKey("yr")) {
            String[] p = o.get("yr").split("/");
            range = new YRange(Float.parseFloat(p[0]), Float.parseFloat(p[1]));
        }
        YRange r = range;
        double[] single = {Double.NaN};
        // SeedAverage as train --average runs it: seeds seed, seed + 1, ...; the first model is the single fit.
        TrainedModel model = SeedAverage.fit(n, seed, s -> learner(split, s, o, r), l -> {
            l.fitOneCycle(Integer.parseInt(o.getOrDefault("ep", "5")), Float.parseFloat(o.getOrDefault("lr", "5e-3")));
            if (l.getSeed() == seed) {
                single[0] = l.evaluate(split.valid()).rmse();
            }
        });
        return new double[] {SeedAverage.evaluate(model, split.valid()).rmse(), single[0]};
    }

    private static CollabLearner learner(Split split, long seed, Map<String, String> o, YRange range) {
        float wd = o.containsKey("wd") ? Float.parseFloat(o.get("wd"))
                : CollabLearnerBuilder.defaultWeightDecay(split.train().size())
                        * Float.parseFloat(o.getOrDefault("wdx", "1"));
        Adam.Builder adam = Adam.builder().optWeightDecay(wd);
        if (o.containsKey("b2")) {
            adam.optBeta2(Float.parseFloat(o.get("b2")));
        }
        if (o.containsKey("eps")) {
            adam.optEpsilon(Float.parseFloat(o.get("eps")));
        }
        return CollabLearner.builder().setData(split)
                .optModel(EmbeddingDotBias.builder().optFactors(Integer.parseInt(o.getOrDefault("f", "50")))
                        .optYRange(range))
                .optOptimizer(adam.build())
                .optBatchSize(Integer.parseInt(o.getOrDefault("bs", "64")))
                .optOutput(null).optProgressBar(false).optSeed(seed).build();
    }
}
