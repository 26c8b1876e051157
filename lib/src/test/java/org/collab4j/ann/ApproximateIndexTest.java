package org.collab4j.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.ModelFormatException;
import org.collab4j.io.SyntheticModels;
import org.collab4j.io.TestModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.RecommendOptions;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.recommend.UserRecommendations;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The approximate top-N against the exact one on a clustered model of 20,000 items × 32 factors: recall, exact
 * scores and order, exclusions, candidate lists, every path of the recommender, and the index file's checks.
 */
class ApproximateIndexTest {

    private static final int USERS = 1000;
    private static TrainedModel model;
    private static ApproximateIndex index;
    private static Recommender exact;
    private static Recommender approximate;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        model = SyntheticModels.clustered(USERS, 20_000, 32, 200, true, 20, 5);
        index = ApproximateIndex.builder().optThreads(1).build(model);
        exact = Recommender.of(model);
        approximate = Recommender.builder().setModel(model).optApproximateIndex(index).build();
    }

    /** The query users. */
    private static List<String> users() {
        return model.users().ids().subList(0, 300);
    }

    private static double recall(List<ScoredId> truth, List<ScoredId> found) {
        Set<String> ids = new HashSet<>();
        truth.forEach(s -> ids.add(s.id()));
        return found.stream().filter(s -> ids.contains(s.id())).count() / (double) truth.size();
    }

    @Test
    void recallAtTenAgainstExactIsAtLeastPoint95WithTheDefaults() {
        double sum = 0;
        for (String user : users()) {
            sum += recall(exact.recommend(user, 10), approximate.recommend(user, 10));
        }
        double recall = sum / users().size();
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }

    @Test
    void scoresAreExactAndTheOrderIsTheExactOrder() {
        for (String user : users()) {
            List<ScoredId> found = approximate.recommend(user, 10);
            assertEquals(10, found.size());
            for (int n = 0; n < found.size(); n++) {
                assertEquals(Float.floatToIntBits(exact.predict(user, found.get(n).id())),
                        Float.floatToIntBits(found.get(n).score()), user);
                if (n > 0) {
                    assertTrue(found.get(n - 1).score() >= found.get(n).score());
                }
            }
        }
    }

    @Test
    void trainingItemsExclusionsFiltersAndCandidateListsApply() {
        String user = "u3";
        Set<String> rated = new HashSet<>();
        for (int i : model.ratedItems(3)) {
            rated.add(model.items().id(i));
        }
        List<ScoredId> plain = approximate.recommend(user, 10);
        plain.forEach(s -> assertFalse(rated.contains(s.id()), s.id()));

        Set<String> excluded = Set.of(plain.get(0).id(), plain.get(1).id());
        List<ScoredId> without = approximate.recommend(user, 10, RecommendOptions.builder().optExclude(excluded)
                .optFilter(id -> !id.endsWith("7")).build());
        without.forEach(s -> assertFalse(excluded.contains(s.id()) || s.id().endsWith("7"), s.id()));
        assertEquals(10, without.size());

        // A candidate list: only its items come back, with exact scores.
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            candidates.add("i" + (i * 47));
        }
        List<ScoredId> among = approximate.recommend(user, 10, RecommendOptions.builder().optCandidates(candidates)
                .build());
        assertEquals(10, among.size());
        for (ScoredId s : among) {
            assertTrue(candidates.contains(s.id()), s.id());
            assertEquals(Float.floatToIntBits(exact.predict(user, s.id())), Float.floatToIntBits(s.score()));
        }
        // Fewer allowed items than k: the search cannot find k, so the exact path answers.
        RecommendOptions five = RecommendOptions.builder().optCandidates(candidates.subList(0, 5)).build();
        assertEquals(exact.recommend(user, 10, five), approximate.recommend(user, 10, five));
    }

    @Test
    void everyTopNPathGivesTheOneUserList() {
        List<String> some = users().subList(0, 25);
        List<UserRecommendations> many = approximate.recommend(some, 10);
        List<UserRecommendations> all = new ArrayList<>();
        approximate.recommendAll(10, 7, all::addAll);
        List<UserRecommendations> rows = approximate.itemSide().recommender().recommend(approximate.userRows(0, 25),
                10);
        for (int n = 0; n < some.size(); n++) {
            List<ScoredId> one = approximate.recommend(some.get(n), 10);
            assertEquals(one, many.get(n).items());
            assertEquals(one, all.get(n).items());
        }
        // The item side's recommender is exact (it has no index): its rows give the exact lists.
        assertEquals(exact.recommend(some, 10), rows);
    }

    @Test
    void anItemSideWithAnIndexServesUserRowsApproximatelyWithExactScores() {
        Recommender side = exact.itemSide().withApproximateIndex(ApproximateIndex.DEFAULT_EF_SEARCH).recommender();
        List<UserRecommendations> rows = side.recommend(exact.userRows(0, 300), 10);
        double sum = 0;
        for (UserRecommendations u : rows) {
            List<ScoredId> truth = exact.recommend(u.userId(), 10);
            sum += recall(truth, u.items());
            for (ScoredId s : u.items()) {
                assertEquals(Float.floatToIntBits(exact.predict(u.userId(), s.id())), Float.floatToIntBits(s.score()));
            }
        }
        assertTrue(sum / rows.size() >= 0.95, "recall@10 " + sum / rows.size());
        assertThrows(IllegalArgumentException.class, () -> exact.itemSide().withApproximateIndex(0));
    }

    @Test
    void threadsSearchingAtOnceGetTheListsOneThreadGets() throws Exception {
        List<String> some = users().subList(0, 100);
        List<UserRecommendations> alone = approximate.recommend(some, 10);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<ScoredId>>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String user : some) {
                    futures.add(pool.submit(() -> approximate.recommend(user, 10)));
                }
            }
            for (int n = 0; n < futures.size(); n++) {
                assertEquals(alone.get(n % some.size()).items(), futures.get(n).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * A thread's visited marks are a byte per item, cleared every 255 searches: 600 searches of 255 users in turn on
     * one thread give every user the list of its first search, also when its mark comes round again (search 255
     * has search 0's mark, for the same user).
     */
    @Test
    void aThreadsSearchesGiveTheSameListsPastTheVisitedMarksWrap() throws Exception {
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            List<String> first = new ArrayList<>();
            for (int n = 0; n < 600; n++) {
                float[] query = model.factors(org.collab4j.kernel.Side.USERS).row(n % 255);
                String found = thread.submit(() -> java.util.Arrays.toString(index.search(query, 20))).get();
                if (n < 255) {
                    first.add(found);
                } else {
                    assertEquals(first.get(n % 255), found, "search " + n);
                }
            }
        } finally {
            thread.shutdown();
        }
    }

    @Test
    void aSavedIndexLoadsAndSearchesAsBuilt() throws IOException {
        Path file = ApproximateIndex.besideModel(dir.resolve("m.c4j"));
        assertEquals("m.c4j.hnsw", file.getFileName().toString());
        index.save(file);
        ApproximateIndex loaded = ApproximateIndex.load(file, model);
        float[] query = model.factors(org.collab4j.kernel.Side.USERS).row(9);
        assertEquals(java.util.Arrays.toString(index.search(query, 30)),
                java.util.Arrays.toString(loaded.search(query, 30)));
        Recommender r = Recommender.builder().setModel(model).optApproximateIndex(loaded).build();
        assertEquals(approximate.recommend(users(), 10), r.recommend(users(), 10));
    }

    @Test
    void staleCorruptAndForeignFilesAreRefused() throws IOException {
        Path file = dir.resolve("m.c4j.hnsw");
        index.save(file);
        TrainedModel other = SyntheticModels.clustered(1000, 20_000, 32, 200, true, 20, 6);
        ModelFormatException stale = assertThrows(ModelFormatException.class,
                () -> ApproximateIndex.load(file, other));
        assertTrue(stale.getMessage().contains("for another model"), stale.getMessage());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Path corrupt = dir.resolve("corrupt.hnsw");
        Files.write(corrupt, bytes);
        ModelFormatException damaged = assertThrows(ModelFormatException.class,
                () -> ApproximateIndex.load(corrupt, model));
        assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());

        Path modelFile = dir.resolve("m.c4j");
        model.save(modelFile);
        ModelFormatException notIndex = assertThrows(ModelFormatException.class,
                () -> ApproximateIndex.load(modelFile, model));
        assertTrue(notIndex.getMessage().contains("not a Collab4J approximate index"), notIndex.getMessage());

        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> Recommender.builder().setModel(other).optApproximateIndex(index).build());
        assertTrue(mismatch.getMessage().contains("not built for this model"), mismatch.getMessage());
    }

    @Test
    void aFileWithValidChecksumsButLinksOutOfRangeIsRefusedBeforeAnySearch() throws IOException {
        Path file = dir.resolve("m.c4j.hnsw");
        index.save(file);
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>(
                org.collab4j.io.CheckedArchive.read(file));
        entries.remove(org.collab4j.io.CheckedArchive.VERSION_ENTRY);
        byte[] links = entries.get(IndexFile.LINKS0).clone();
        java.nio.ByteBuffer.wrap(links).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, 20_000);
        entries.put(IndexFile.LINKS0, links);
        Path forged = dir.resolve("forged.hnsw");
        org.collab4j.io.CheckedArchive.write(forged, IndexFile.VERSION, entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ApproximateIndex.load(forged, model));
        assertTrue(e.getMessage().contains("a link to item 20000 of 20000"), e.getMessage());
    }

    @Test
    void anEmbeddingNetIsRefused() {
        try (CollabLearner learner = TestModels.trained(TestModels.ratings(20, 30, 0.4, 5),
                EmbeddingNet.builder().optFactors(4).optHidden(8), 32, 1, 1e-2f)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ApproximateIndex.builder().build(learner.fittedModel()));
            assertTrue(e.getMessage().contains("EmbeddingNet"), e.getMessage());
        }
    }
}
