package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.io.TestModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trained models: many threads agree with one, also while new models are trained and swapped in; batches agree with
 * single calls; EmbeddingNet agrees with DJL.
 */
class ConcurrencyTest {

    /** Everything a recommender answers for a fixed list of questions. */
    private static List<Object> answers(Recommender r, List<String> users, List<String> items) {
        List<Object> out = new ArrayList<>();
        for (String u : users) {
            for (String i : items) {
                out.add(r.predict(u, i));
            }
            out.add(r.recommend(u, 5));
        }
        for (String i : items) {
            if (r.knowsItem(i)) {
                out.add(r.similarItems(i, 3));
            }
        }
        out.add(r.itemPca(2, 3, 1));
        return out;
    }

    @Test
    void manyThreadsGiveTheAnswersOfOne() throws Exception {
        try (CollabLearner learner = TestModels.trained(40, 25, null)) {
            Recommender r = Recommender.builder().setModel(learner.fittedModel())
                    .optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build();
            List<String> users = new ArrayList<>(learner.users().ids());
            users.add("stranger");
            List<String> items = new ArrayList<>(learner.items().ids());
            items.add("new item");
            List<Object> expected = answers(r, users, items);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<Object>>> futures = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    futures.add(pool.submit(() -> answers(r, users, items)));
                }
                for (Future<List<Object>> f : futures) {
                    assertEquals(expected, f.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void recommendAllComesInBoundedBatchesAndMatchesSingleCalls() {
        try (CollabLearner learner = TestModels.trained(40, 25, null)) {
            Recommender r = learner.recommender();
            List<UserRecommendations> all = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            r.recommendAll(4, 7, batch -> {
                sizes.add(batch.size());
                all.addAll(batch);
            });
            List<String> known = learner.users().ids().stream().filter(r::knowsUser).toList();
            assertEquals(r.recommend(known, 4), all);
            assertTrue(sizes.stream().allMatch(s -> s <= 7), sizes.toString());
            assertEquals(known.size(), all.size());
            for (UserRecommendations rec : all) {
                assertEquals(4, rec.items().size());
            }
        }
    }

    @Test
    void recommendedScoresEqualPredictionsToTheBit() {
        // 6 and 5 factors: the scoring loop's four-factor passes plus a remainder.
        for (CollabBlock.BaseBuilder<?> block : List.of(EmbeddingDotBias.builder().optFactors(6),
                EmbeddingDot.builder().optFactors(5), EmbeddingNet.builder().optFactors(3))) {
            try (CollabLearner learner = TestModels.trained(30, 40, block)) {
                Recommender r = learner.recommender();
                int checked = 0;
                for (String user : learner.users().ids()) {
                    if (r.knowsUser(user)) {
                        for (ScoredId item : r.recommend(user, 40)) {
                            assertEquals(r.predict(user, item.id()), item.score(), user + " " + item);
                            checked++;
                        }
                    }
                }
                assertTrue(checked > 300, String.valueOf(checked));
            }
        }
    }

    @Test
    void embeddingNetScoresMatchDjlsForwardPass() {
        for (int[] hidden : new int[][] {{}, {6}, {6, 4}}) {
            try (CollabLearner learner = TestModels.trained(20, 15, EmbeddingNet.builder().optFactors(3)
                    .optHidden(hidden))) {
                TrainedModel model = learner.fittedModel();
                Recommender r = Recommender.of(model);
                int users = model.users().size();
                int items = model.items().size();
                int[] u = new int[users * items];
                int[] i = new int[users * items];
                for (int k = 0; k < u.length; k++) {
                    u[k] = k / items;
                    i[k] = k % items;
                }
                float[] djl = learner.predictIndices(u, i);
                float[] mine = new float[u.length];
                float[] expected = new float[u.length];
                int n = 0;
                for (int k = 0; k < u.length; k++) {
                    String user = model.users().id(u[k]);
                    String item = model.items().id(i[k]);
                    if (r.knowsUser(user) && r.knowsItem(item)) {
                        mine[n] = r.predict(user, item);
                        expected[n++] = djl[k];
                    }
                }
                assertTrue(n > u.length / 2);
                assertArrayEquals(expected, mine, 2e-5f);
            }
        }
    }

    /** A model trained on every rating of {@code grid} set to {@code stars}: each version predicts its own pattern. */
    private static Recommender trainedOn(Ratings grid, float stars) {
        Ratings.Builder constant = Ratings.builder();
        for (int row = 0; row < grid.size(); row++) {
            constant.add(grid.users().id(grid.user(row)), grid.items().id(grid.item(row)), stars);
        }
        try (CollabLearner learner = CollabLearner.builder().setTrainData(constant.build())
                .optModel(EmbeddingDotBias.builder().optFactors(3)).optBatchSize(16).optOutput(null)
                .optProgressBar(false).build()) {
            learner.fitOneCycle(2, 5e-2f);
            return learner.recommender();
        }
    }

    @Test
    void predictionsWhileNewModelsAreTrainedAndSwappedInEachComeFromOneModel() throws Exception {
        Ratings grid = TestModels.ratings(20, 15, 0.6, 3);
        List<String> users = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int row = 0; row < grid.size(); row++) {
            users.add(grid.users().id(grid.user(row)));
            items.add(grid.items().id(grid.item(row)));
        }
        // What each version answers, registered before it is swapped in.
        List<float[]> versions = new CopyOnWriteArrayList<>();
        Recommender first = trainedOn(grid, 1f);
        versions.add(first.predict(users, items));
        AtomicReference<Recommender> current = new AtomicReference<>(first);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            List<Future<Set<Integer>>> readers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                readers.add(pool.submit(() -> {
                    Set<Integer> seen = new HashSet<>();
                    do {
                        Recommender r = current.get(); // one model for the whole batch
                        float[] answer = r.predict(users, items);
                        int version = -1;
                        for (int v = 0; v < versions.size() && version < 0; v++) {
                            version = Arrays.equals(versions.get(v), answer) ? v : -1;
                        }
                        assertTrue(version >= 0, "an answer that no single model gives");
                        assertEquals(3, r.recommend(users.get(0), 3).size());
                        seen.add(version);
                    } while (!done.get());
                    return seen;
                }));
            }
            Future<?> trainer = pool.submit(() -> {
                for (int v = 1; v <= 3; v++) {
                    Recommender next = trainedOn(grid, 1f + v);
                    versions.add(next.predict(users, items));
                    current.set(next);
                    Thread.sleep(50);
                }
                return null;
            });
            try {
                trainer.get(120, TimeUnit.SECONDS);
            } finally {
                done.set(true);
            }
            Set<Integer> seen = new HashSet<>();
            for (Future<Set<Integer>> reader : readers) {
                seen.addAll(reader.get(60, TimeUnit.SECONDS));
            }
            assertEquals(4, versions.size());
            for (int a = 0; a < versions.size(); a++) {
                for (int b = 0; b < a; b++) {
                    assertFalse(Arrays.equals(versions.get(a), versions.get(b)), "versions " + a + " and " + b);
                }
            }
            assertTrue(seen.size() >= 2 && seen.contains(3), "versions answered: " + seen);
        } finally {
            pool.shutdownNow();
        }
    }
}
