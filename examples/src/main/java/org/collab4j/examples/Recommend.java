package org.collab4j.examples;

import org.collab4j.cli.FeatureOptions;
import org.collab4j.cli.RunFiles;
import org.collab4j.cli.RatingsFileOptions;
import org.collab4j.data.DuplicatePolicy;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.ReadOptions;
import org.collab4j.model.YRange;
import org.collab4j.recommend.FoldIn;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.TopNCsv;
import org.collab4j.recommend.UnknownIdPolicy;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code recommend}: the top items for a user, a timing of top-k for every user, or, with {@code --history}, top-k
 * CSV for the users of a ratings file who may be absent from the model (folded in from those ratings); or, with
 * {@code --onboarding}, the items to ask a new user about ({@code Recommender.onboarding}).
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend the items a user is predicted to rate highest, leaving out what they rated in"
                + " training; or, with --all, time top-k for every user; or, with --onboarding, the items to ask a"
                + " new user about; or, with --history FILE, write top-k as"
                + " CSV (user,item,rank,score) for every user in FILE, folding in users the model does not know"
                + " from their ratings in FILE and leaving those items out. With --item-features FILE, items the"
                + " model has not seen are served from their features (a model trained with --item-features);"
                + " --user-features FILE likewise serves new users.")
final class Recommend implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(multiplicity = "0..1")
    Target target;

    static final class Target {
        @Option(names = "--user", paramLabel = "ID", description = "the user's id as in the ratings file")
        String user;

        @Option(names = "--all", description = "top-k for every known user, timed (a benchmark; prints the timings"
                + " and the first user's list)")
        boolean all;

        @Option(names = "--history", paramLabel = "FILE", description = "ratings or interactions of users who may"
                + " be absent from the model (format as for train: --format, --sep, --no-header, --duplicates):"
                + " K rows per user in FILE, that user's items in FILE left out")
        Path history;
    }

    @Mixin
    RatingsFileOptions layout;

    /** {@code --item-features} / {@code --user-features}: serve items and users the model has not seen. */
    @Mixin
    FeatureOptions features;

    @Option(names = "--duplicates", paramLabel = "POLICY", description = "with --history: a user who rated an item"
            + " more than once: KEEP_ALL (the same rating twice counts once, two different ones are an error),"
            + " KEEP_LAST, MEAN or ERROR (default: ${DEFAULT-VALUE})")
    DuplicatePolicy duplicates = DuplicatePolicy.KEEP_ALL;

    @Option(names = "--onboarding", description = "the K items to ask a new user about (popular enough to be known,"
            + " spread over the factor space; docs/serving.md), as CSV (user,item,rank,score; score = the answer's"
            + " expected gain): with --history FILE, for each user of FILE given their rows as the answers so far"
            + " (never asked again), else one list with the user column empty. Dot models only")
    boolean onboarding;

    @Option(names = "-k", description = "how many items (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--repeat", description = "with --all: timed runs after the first (default: ${DEFAULT-VALUE})")
    int repeat = 5;

    @Option(names = "--out", paramLabel = "FILE", description = "with --all: write top-k of every user as a CSV"
            + " (user,item,rank,score; rank 1 = best; training items left out) instead of timing; with --history:"
            + " write the CSV to FILE instead of standard output; written atomically")
    Path out;

    @Option(names = "--batch", description = "with --all or --history: users per batch (default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Option(names = "--approximate", description = "top-k through an approximate index over the items (an HNSW"
            + " graph by inner product): the file MODEL.hnsw beside the model, built on first use and saved there;"
            + " scores are exact, an item the index misses is missing (docs/serving.md). Dot models only")
    boolean approximate;

    @Option(names = "--ef", paramLabel = "N", description = "with --approximate: candidates the index's search keeps;"
            + " more is slower and misses fewer (default: ${DEFAULT-VALUE})")
    int ef = org.collab4j.ann.ApproximateIndex.DEFAULT_EF_SEARCH;

    @Override
    public Integer call() throws IOException {
        if (onboarding || target == null) {
            return onboarding();
        }
        if (ef < 1) {
            throw new CliException("--ef must be at least 1, got " + ef);
        }
        if (k < 1 || batch < 1 || repeat < 0) {
            // --repeat 0 is allowed: the first run alone is timed.
            throw new CliException("-k and --batch must be at least 1 and --repeat at least 0, got " + k + ", " + batch
                    + " and " + repeat + "; e.g. -k 10 --batch 256");
        }
        features.validate();
        RunFiles files = features.addTo(model.files().text("--history", target.history).output("--out", out));
        files.check();
        if (target.history != null) {
            return withHistory();
        }
        long start = System.nanoTime();
        Recommender recommender = model.recommender(UnknownIdPolicy.THROW, approximate ? ef : 0, features);
        System.out.println(String.format(Locale.ROOT, "loaded %s in %.0f ms", recommender,
                (System.nanoTime() - start) / 1e6));
        if (!target.all && out != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--out needs --all (it writes every user's top-k) or --history FILE; without them the list is"
                            + " printed");
        }
        if (!target.all) {
            ModelOptions.print("predicted", recommender.recommend(target.user, k));
            return 0;
        }
        if (out != null) {
            if (k < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "-k must be at least 1, got " + k);
            }
            int written = org.collab4j.recommend.TopNCsv.writeAll(out, recommender, k, batch);
            System.out.println(String.format(Locale.ROOT, "wrote top-%d for %d users to %s", k, written, out));
            return 0;
        }
        int[] users = new int[1];
        double[] first = time(recommender, users);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int r = 0; r < repeat; r++) {
            double[] t = time(recommender, users);
            best[0] = Math.min(best[0], t[0]);
            best[1] = Math.min(best[1], t[1]);
        }
        // CPU time as well as wall time: on a shared machine the wall time also measures the neighbours.
        if (repeat == 0) {
            System.out.println(String.format(Locale.ROOT, "top-%d for all %d users, one thread: %.1f ms (CPU %.1f"
                    + " ms)", k, users[0], first[0], first[1]));
            return 0;
        }
        System.out.println(String.format(Locale.ROOT, "top-%d for all %d users, one thread: first run %.1f ms"
                + " (CPU %.1f ms), best of %d more %.1f ms (CPU %.1f ms)", k, users[0], first[0], first[1], repeat,
                best[0], best[1]));
        return 0;
    }

    /** Wall and CPU milliseconds of one top-k for every user. */
    private double[] time(Recommender recommender, int[] users) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        users[0] = 0;
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        recommender.recommendAll(k, batch, list -> users[0] += list.size());
        return new double[] {(System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6};
    }

    /**
     * Under KEEP_ALL a history may say the same thing twice, not two things: a user who rated one item twice with
     * different ratings is refused here, naming the file, the ids and the option that resolves it (the library
     * would name only the user).
     */
    private void refuseConflicts(Ratings histories) {
        java.util.Map<Long, Integer> first = new java.util.HashMap<>();
        for (int row = 0; row < histories.size(); row++) {
            long key = (long) histories.user(row) << 32 | histories.item(row);
            Integer before = first.putIfAbsent(key, row);
            if (before != null && histories.rating(before) != histories.rating(row)) {
                throw new CliException("user " + org.collab4j.util.Shown.quoted(histories.users().id(
                        histories.user(row)), 60) + " rated item " + org.collab4j.util.Shown.quoted(histories.items()
                        .id(histories.item(row)), 60) + " twice with different ratings, " + histories.rating(before)
                        + " and then " + histories.rating(row) + " (ratings " + (before + 1) + " and " + (row + 1)
                        + " of the file), --history " + target.history + "; remove one of the two lines, or pass"
                        + " --duplicates KEEP_LAST or MEAN");
            }
        }
    }

    /** {@code --history}: top-k CSV for every user of the file, to --out or standard output. */
    private int withHistory() throws IOException {
        long start = System.nanoTime();
        Recommender recommender = model.recommender(UnknownIdPolicy.FOLD_IN, approximate ? ef : 0, features);
        RatingsFormat format = layout.ratingsFormat();
        ReadOptions.Builder read = ReadOptions.builder().optDuplicates(duplicates);
        YRange range = recommender.getModel().getConfig().yRange();
        if (range != null && recommender.getFoldInObjective() == FoldIn.Objective.RATINGS) {
            // Ratings the model cannot predict would distort the fitted rows: refused with the file's line.
            read.optRatingRange(range.low(), range.high());
        }
        Ratings histories = Ratings.read(target.history, format, read.build());
        if (duplicates == DuplicatePolicy.KEEP_ALL) {
            refuseConflicts(histories);
        }
        // No batch larger than the users there are: --batch 2000000000 must not allocate for two billion.
        int batchSize = Math.max(1, Math.min(batch, histories.users().size()));
        int known = 0;
        int folded = 0;
        int fallback = 0;
        boolean[] hasKnownItem = new boolean[histories.users().size()];
        for (int row = 0; row < histories.size(); row++) {
            hasKnownItem[histories.user(row)] |= recommender.knowsItem(histories.items().id(histories.item(row)));
        }
        for (int u = 0; u < histories.users().size(); u++) {
            if (recommender.knowsUser(histories.users().id(u))) {
                known++;
            } else if (hasKnownItem[u] && recommender.getUnknownIdPolicy() == UnknownIdPolicy.FOLD_IN) {
                folded++;
            } else {
                fallback++;
            }
        }
        long[] rows = new long[1];
        if (out != null) {
            TopNCsv.write(out, csv -> {
                recommender.recommendWithHistories(histories, k, batchSize, csv.sink());
                rows[0] = csv.rows();
            });
        } else {
            Writer stdout = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            TopNCsv csv = TopNCsv.to(stdout);
            recommender.recommendWithHistories(histories, k, batchSize, csv.sink());
            stdout.flush();
            rows[0] = csv.rows();
        }
        // The summary goes to standard error: standard output may be the CSV.
        System.err.println(String.format(Locale.ROOT, "%d users in %s: %d known to the model, %d folded in from"
                + " their history, %d answered by the fallback (no item of their history is known); %d rows%s in"
                + " %.0f ms", histories.users().size(), target.history, known, folded, fallback, rows[0],
                out != null ? " written to " + out : "", (System.nanoTime() - start) / 1e6));
        return 0;
    }

    /**
     * {@code --onboarding}: the next K questions, for one new user without answers or for every user of
     * {@code --history} from their rows there, as top-N CSV.
     */
    private int onboarding() throws IOException {
        if (!onboarding) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "one of --user, --all,"
                    + " --history FILE or --onboarding is needed");
        }
        if (target != null && (target.user != null || target.all)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--onboarding takes"
                    + " --history FILE (the answers so far) or nothing, not --user or --all");
        }
        if (k < 1) {
            throw new CliException("-k must be at least 1, got " + k + "; e.g. -k 10");
        }
        Path history = target != null ? target.history : null;
        model.files().text("--history", history).output("--out", out).check();
        Recommender recommender = model.recommender(UnknownIdPolicy.FOLD_IN);
        java.util.List<org.collab4j.recommend.UserRecommendations> lists = new java.util.ArrayList<>();
        try {
            if (history == null) {
                lists.add(new org.collab4j.recommend.UserRecommendations("",
                        recommender.onboarding(org.collab4j.recommend.RatingHistory.EMPTY, k)));
            } else {
                ReadOptions.Builder read = ReadOptions.builder().optDuplicates(duplicates);
                YRange range = recommender.getModel().getConfig().yRange();
                if (range != null && recommender.getFoldInObjective() == FoldIn.Objective.RATINGS) {
                    read.optRatingRange(range.low(), range.high());
                }
                Ratings histories = Ratings.read(history, layout.ratingsFormat(), read.build());
                if (duplicates == DuplicatePolicy.KEEP_ALL) {
                    refuseConflicts(histories);
                }
                java.util.List<org.collab4j.recommend.RatingHistory.Builder> answers = new java.util.ArrayList<>();
                for (int u = 0; u < histories.users().size(); u++) {
                    answers.add(org.collab4j.recommend.RatingHistory.builder());
                }
                for (int row = 0; row < histories.size(); row++) {
                    answers.get(histories.user(row)).add(histories.items().id(histories.item(row)),
                            histories.rating(row));
                }
                for (int u = 0; u < answers.size(); u++) {
                    lists.add(new org.collab4j.recommend.UserRecommendations(histories.users().id(u),
                            recommender.onboarding(answers.get(u).build(), k)));
                }
            }
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage() + " (--model " + model.model + ")");
        }
        if (out != null) {
            TopNCsv.write(out, lists);
        } else {
            Writer stdout = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            TopNCsv.to(stdout).write(lists);
            stdout.flush();
        }
        System.err.println(String.format(Locale.ROOT, "onboarding: %d question%s for %s%s", k, k == 1 ? "" : "s",
                history == null ? "a new user" : lists.size() + " users of " + history,
                out != null ? ", written to " + out : ""));
        return 0;
    }
}
