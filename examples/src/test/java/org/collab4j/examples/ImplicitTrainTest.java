package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.TrainedModel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** {@code train --implicit}: the default ranking model, the other losses, and the options that do not fit. */
class ImplicitTrainTest {

    @TempDir
    static Path dir;
    private static Path train;
    private static Path valid;

    /** Two groups of users, each rating items of its own half 4 or 5 and a few of the other half 1 or 2. */
    @BeforeAll
    static void files() throws IOException {
        TwoGroupFiles files = TwoGroupFiles.write(dir, 11, 60, 9);
        train = files.train;
        valid = files.valid;
    }

    private static String[] train(String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--ratings", train.toString(), "--valid",
                valid.toString(), "--implicit"));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    @Test
    void initModelContinuesTheDefaultRankingModelWithNewUsersFoldedIn() throws IOException {
        Path saved = dir.resolve("ials-old.c4j");
        String[] result = train("--positive-threshold", "4", "--save", saved.toString());
        assertEquals("0", result[0], result[2]);
        // New users 100..109, like the old ones: items of their group's half, plus new items 40..44.
        StringBuilder more = new StringBuilder("userId,movieId,rating,timestamp\n");
        Random random = new Random(12);
        for (int u = 100; u < 110; u++) {
            for (int n = 0; n < 8; n++) {
                more.append(u).append(',').append(random.nextInt(20) + (u % 2) * 20).append(",5,0\n");
            }
            more.append(u).append(',').append(40 + u % 5).append(",4,0\n");
        }
        Path moreFile = Files.writeString(dir.resolve("more.csv"), more);
        Path next = dir.resolve("ials-next.c4j");
        result = run("train", "--ratings", moreFile.toString(), "--implicit",
                "--positive-threshold", "4", "--duplicates", "KEEP_LAST", "--init-model", saved.toString(),
                "--epochs", "2", "--save", next.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("continuing from " + saved), result[1]);
        TrainedModel before = TrainedModel.load(saved);
        TrainedModel after = TrainedModel.load(next);
        assertEquals("ials", after.objective());
        assertEquals(before.users().size() + 10, after.users().size());
        assertEquals(before.items().size() + 5, after.items().size());
        assertTrue(org.collab4j.recommend.Recommender.of(after).knowsUser("3"), "old users stay known");
        // A new user of the even group gets the even group's items on top.
        List<org.collab4j.recommend.ScoredId> top = org.collab4j.recommend.Recommender.of(after).recommend("100", 5);
        assertTrue(top.stream().allMatch(s -> Integer.parseInt(s.id()) < 20 || Integer.parseInt(s.id()) >= 40),
                top.toString());
        // Without --epochs a warm start runs CollabLearnerBuilder.DEFAULT_WARM_SWEEPS.
        Path history = dir.resolve("ials-warm-history");
        result = run("train", "--ratings", moreFile.toString(), "--implicit", "--positive-threshold", "4",
                "--init-model", saved.toString(), "--history", history.toString());
        assertEquals("0", result[0], result[2]);
        assertEquals(1 + org.collab4j.train.CollabLearnerBuilder.DEFAULT_WARM_SWEEPS,
                Files.readAllLines(history.resolve("history.csv")).size());
        // A ranking model is continued as it was trained, and a rating model not by --implicit.
        result = run("train", "--ratings", moreFile.toString(), "--init-model", saved.toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("is a ranking model (trained with ials): continue it with --implicit"),
                result[2]);
        result = run("train", "--ratings", moreFile.toString(), "--implicit", "--loss", "bpr", "--init-model",
                saved.toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("give --loss ials to continue it"), result[2]);
    }

    @Test
    void defaultRankingModelTrainsSavesAndReportsNdcg() throws IOException {
        Path model = dir.resolve("ials.c4j");
        String[] result = train("--positive-threshold", "4", "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("loss=ials"), result[1]);
        assertTrue(result[1].contains("ndcg@10"), "the epoch table shows NDCG@10: " + result[1]);
        String last = result[1].strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("NDCG@10 "), last);
        double ndcg = Double.parseDouble(last.split(" ")[1]);
        assertTrue(ndcg > 0.3, "the groups are easy to learn: " + last);
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(null, saved.getConfig().yRange());
        assertEquals(64, saved.getConfig().userFactors());
    }

    @Test
    void easeChoosesOnAnInnerSplitSavesAnItemItemModelAndRecommendServesIt() throws IOException {
        Path model = dir.resolve("ease.c4j");
        String[] result = run("train", "--ratings", train.toString(), "--implicit", "--positive-threshold", "4",
                "--loss", "ease", "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("inner split λ=50 positives NDCG@10"), result[1]);
        assertTrue(result[1].contains("refitting on all"), "no --valid: refit on every row: " + result[1]);
        String last = result[1].strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("NDCG@10 ") && Double.parseDouble(last.split(" ")[1]) > 0.3, last);
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(org.collab4j.model.BlockKind.ITEM_ITEM, saved.getConfig().kind());
        assertEquals("ease", saved.objective());
        assertTrue(saved.getProvenance().model().startsWith("EASE(λ="), saved.getProvenance().model());
        Path sparse = dir.resolve("ease-sparse.c4j");
        result = run("train", "--ratings", train.toString(), "--implicit", "--positive-threshold", "4",
                "--loss", "ease", "--ease-keep", "5", "--save", sparse.toString());
        assertEquals("0", result[0], result[2]);
        TrainedModel cut = TrainedModel.load(sparse);
        assertTrue(cut.getConfig().matrixSize() > 0 && cut.getConfig().matrixSize() <= 5 * 40 + 40,
                cut.getConfig().toString());
        Path top = dir.resolve("ease-top.csv");
        result = run("recommend", "--model", model.toString(), "--all", "-k", "5", "--out", top.toString());
        assertEquals("0", result[0], result[2]);
        List<String> lines = Files.readAllLines(top);
        assertEquals(1 + 60 * 5, lines.size(), "5 items for each of the 60 users");
        // User 0 (even group) gets items of its own half, and never one it rated.
        org.collab4j.recommend.Recommender r = org.collab4j.recommend.Recommender.of(saved);
        for (org.collab4j.recommend.ScoredId s : r.recommend("0", 5)) {
            assertTrue(Integer.parseInt(s.id()) < 20, s.toString());
            assertFalse(java.util.Arrays.stream(saved.ratedItems(saved.users().indexOf("0")))
                    .anyMatch(i -> saved.items().id(i).equals(s.id())), s.toString());
        }
    }

    @Test
    void bprAndSoftmaxTrainToo() {
        for (String loss : new String[] {"bpr", "softmax", "warp"}) {
            String[] result = train("--loss", loss, "--epochs", "3", "--bs", "64");
            assertEquals("0", result[0], loss + ": " + result[2]);
            assertTrue(result[1].contains("loss=" + loss), result[1]);
        }
    }

    /** A movies.csv for the generated items (ids 0..39), two genres. */
    private String movies() {
        Path file = dir.resolve("movies.csv");
        StringBuilder text = new StringBuilder("movieId,title,genres\n");
        for (int i = 0; i < 40; i++) {
            text.append(i).append(",Film ").append(i).append(" (2000),").append(i < 20 ? "Drama" : "Comedy")
                    .append('\n');
        }
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.toString();
    }

    private static void refused(String[] result, String part) {
        assertEquals("2", result[0], result[2]);
        assertTrue(result[2].startsWith("error: ") && result[2].contains(part), result[2]);
        assertFalse(result[1].contains("epoch "), "refused before training: " + result[1]);
    }

    @Test
    void optionsThatDoNotFitARankingModelAreRefusedBeforeTraining() {
        refused(train("--positive-threshold", "6"), "leaves no positive");
        refused(train("--positive-threshold", "NaN"), "--positive-threshold must be a finite number");
        refused(train("--y-range", "0,5"), "--y-range");
        refused(train("--model", "net"), "--model net trains ratings only");
        refused(train("--model", "dotbias"), "--loss ials trains --model dot");
        refused(train("--lr", "0.1"), "--lr has no effect on iALS");
        refused(train("--loss", "lambdarank"), "--loss takes ials, bpr, softmax, warp or ease");
        refused(train("--loss", "ease", "--factors", "8"), "--factors has no effect on --loss ease");
        refused(train("--loss", "ease", "--epochs", "2"), "--epochs has no effect on --loss ease");
        refused(train("--ease-keep", "5"), "--ease-keep applies to --implicit --loss ease");
        refused(train("--loss", "ease", "--ease-keep", "-1"), "--ease-keep must be 0");
        refused(train("--loss", "ease", "--item-features", movies()), "has no factor rows for side features");
        refused(train("--loss", "mse"), "--loss mse trains a rating model");
        refused(train("--below-threshold-weight", "0.5"), "needs --positive-threshold");
        refused(train("--positive-threshold", "4", "--below-threshold-weight", "2"), "must be in [0, 1]");
        refused(run("train", "--ratings", train.toString(), "--loss", "bpr"), "add --implicit");
    }
}
