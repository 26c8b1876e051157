package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionsTest {

    @TempDir
    Path dir;

    private static final RatingsFormat CSV = RatingsFormat.builder().setDelimiter(",").optHeader(true)
            .optUserColumn("user").optItemColumn("item").optRatingColumn("weight").optTimestampColumn("t").build();

    private Path write(String text) throws IOException {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void confidenceGrowsWithTheCountEachEventAddingLessThanTheOneBefore() {
        IdMap users = IdMap.of(java.util.List.of("u"));
        IdMap items = IdMap.of(java.util.List.of("a", "b", "c", "d"));
        Ratings counts = Ratings.ofIndices(users, items, new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3},
                new float[] {1, 2, 10, 100});
        float[] c = Interactions.confidence(counts, 2f, 1f).ratingValues();
        assertEquals(1 + 2 * Math.log(2), c[0], 1e-5, "c = 1 + α ln(1 + count/ε)");
        assertEquals(1 + 2 * Math.log(101), c[3], 1e-4);
        for (int k = 1; k < c.length; k++) {
            assertTrue(c[k] > c[k - 1], "increasing in the count");
        }
        assertTrue(c[1] - c[0] < c[0] - 1, "the second event adds less than the first");
        assertEquals(1f, Interactions.confidence(counts, 0f, 1f).ratingValues()[3], "α = 0: every row weighs 1");
        Ratings defaults = Interactions.confidence(counts);
        assertEquals(1 + Interactions.DEFAULT_CONFIDENCE_ALPHA * Math.log1p(10 / Interactions.DEFAULT_CONFIDENCE_EPSILON),
                defaults.rating(2), 1e-5);
        assertEquals(counts.items(), defaults.items());
        Ratings plain = Ratings.ofIndices(users, items, new int[] {0, 0}, new int[] {0, 1}, new float[] {1, 1});
        assertEquals(1f, Interactions.confidence(plain).rating(1), "no counts (all values equal): every row 1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Interactions.confidence(
                Ratings.ofIndices(users, items, new int[] {0}, new int[] {1}, new float[] {-1}), 1f, 1f));
        assertTrue(e.getMessage().contains("item b"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Interactions.confidence(counts, -1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> Interactions.confidence(counts, 1f, 0f));
    }

    @Test
    void repeatedEventsAreCountedOrSummedWithTheLatestTimestamp() throws IOException {
        Path file = write("user,item,weight,t\na,x,2,10\nb,x,1,11\na,x,3,30\na,y,1,12\n");
        Ratings counted = Interactions.read(file, CSV, Aggregation.COUNT);
        Ratings summed = Interactions.read(file, CSV, Aggregation.SUM);
        assertEquals(3, counted.size());
        assertEquals("a", counted.users().id(counted.user(0)));
        assertEquals("x", counted.items().id(counted.item(0)));
        assertEquals(2f, counted.rating(0));
        assertEquals(5f, summed.rating(0));
        assertEquals(30L, summed.timestamp(0));
        assertEquals(1f, summed.rating(1));
        assertEquals(1f, summed.rating(2));
    }

    @Test
    void zeroNegativeAndNanWeightsNameFileLineAndField() throws IOException {
        for (String bad : new String[] {"0", "-1", "NaN"}) {
            Path file = write("user,item,weight,t\na,x,1,1\nb,y," + bad + ",2\n");
            RatingsFileException e = assertThrows(RatingsFileException.class,
                    () -> Interactions.read(file, CSV, Aggregation.SUM));
            assertEquals(3, e.line(), bad);
            assertTrue(e.getMessage().contains("events.csv") && e.getMessage().contains("weight"), e.getMessage());
        }
    }

    @Test
    void thresholdKeepsPositivesAndSeenAndDropsUsersWithoutPositives() {
        Ratings.Builder b = Ratings.builder();
        b.add("u1", "a", 5f).add("u1", "b", 2f).add("u2", "a", 3f).add("u3", "c", 4f);
        ImplicitData one = Interactions.fromRatings(b.build(), 4f, PositiveValue.ONE);
        assertEquals(1, one.droppedUsers());
        assertEquals(2, one.positives().users().size());
        assertEquals(2, one.positives().size());
        assertEquals(1f, one.positives().rating(0));
        assertEquals(1f, one.positives().rating(1));
        assertEquals(1, one.seen().size());
        assertEquals("b", one.seen().items().id(one.seen().item(0)));
        assertEquals(3, one.positives().items().size(), "items keep their indices");
        ImplicitData rated = Interactions.fromRatings(b.build(), 4f, PositiveValue.RATING);
        assertEquals(5f, rated.positives().rating(0));
    }

    @Test
    void aThresholdAboveEveryRatingIsAnErrorNamingFileAndThreshold() throws IOException {
        Path file = write("user,item,weight,t\na,x,3,1\nb,y,2,2\n");
        RatingsFileException e = assertThrows(RatingsFileException.class,
                () -> Interactions.readThresholded(file, CSV, 4f, PositiveValue.ONE));
        assertTrue(e.getMessage().contains("events.csv") && e.getMessage().contains("4.0"), e.getMessage());
    }

    private static Ratings generated() {
        Ratings.Builder b = Ratings.builder();
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i <= u % 7; i++) {
                b.add("u" + u, "i" + (i * 3 + u) % 25, 1f, 100L * i + u);
            }
        }
        return b.build();
    }

    @Test
    void perUserSplitsHoldOutTheRightRowsAndKeepATrainingRowPerUser() {
        Ratings r = generated();
        Split leave = Splits.leaveKOut(r, 2, 7);
        Split same = Splits.leaveKOut(r, 2, 7);
        assertEquals(leave.valid().size(), same.valid().size());
        for (int row = 0; row < leave.valid().size(); row++) {
            assertEquals(leave.valid().item(row), same.valid().item(row));
        }
        int[] trainCount = new int[20];
        int[] validCount = new int[20];
        for (int row = 0; row < leave.train().size(); row++) {
            trainCount[leave.train().user(row)]++;
        }
        for (int row = 0; row < leave.valid().size(); row++) {
            validCount[leave.valid().user(row)]++;
        }
        for (int u = 0; u < 20; u++) {
            int n = u % 7 + 1;
            assertEquals(Math.min(2, n - 1), validCount[u], "user " + u);
            assertEquals(n - validCount[u], trainCount[u]);
        }
        Split fraction = Splits.perUserFraction(r, 0.5, 1);
        assertEquals(r.size(), fraction.train().size() + fraction.valid().size());
        Split time = Splits.perUserByTime(r, 0.5);
        // Each user's held-out rows are later than all of their training rows.
        for (int v = 0; v < time.valid().size(); v++) {
            for (int t = 0; t < time.train().size(); t++) {
                if (time.train().user(t) == time.valid().user(v)) {
                    assertTrue(time.train().timestamp(t) < time.valid().timestamp(v));
                }
            }
        }
        assertTrue(time.valid().size() > 0);
        Set<Integer> users = new HashSet<>();
        for (int row = 0; row < time.train().size(); row++) {
            users.add(time.train().user(row));
        }
        assertEquals(20, users.size());
        assertThrows(IllegalArgumentException.class, () -> Splits.leaveKOut(r, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.perUserByTime(r.select(new int[] {0}), 0.5));
    }
}
