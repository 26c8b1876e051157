package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** score-topn, popular-topn and split-ratings on tiny hand-made files. */
class TopNCommandsTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** Training: a rated x, y; b rated x, z; c rated w. Catalogue {x, y, z, w}. */
    private Path train() throws IOException {
        return write("train.csv", "userId,movieId,rating,timestamp\n"
                + "a,x,5,1\na,y,2,1\nb,x,4,1\nb,z,3,1\nc,w,4,1\n");
    }

    /** Held out: a likes z, q (2 relevant); b likes y and gives w a 3 (1 relevant); c likes x; d is new. */
    private Path test() throws IOException {
        return write("test.csv", "userId,movieId,rating,timestamp\n"
                + "a,z,4,2\na,q,5,2\nb,y,4.5,2\nb,w,3,2\nc,x,4,2\n");
    }

    @Test
    void scoresUnderTheProtocolWithHandComputedNumbers() throws IOException {
        // k = 2. System s:
        //   a: [x, z, w] -> x is a training item, dropped before the cut -> [z, w]; relevant {z, q}: hit at rank 1.
        //      P 1/2, R 1/2, R-capped 1/min(2,2) = 1/2, NDCG 1/(1 + 1/log2 3), HR 1, AP (1/1)/2 = 1/2.
        //   b: [w, y] -> hit at rank 2; relevant {y}. P 1/2, R 1, R-capped 1, NDCG 1/log2 3, HR 1, AP (1/2)/1.
        //   c: no list -> scores 0 on everything but counts.
        // Averages over 3 users; dropped = 1; coverage = |{z, w, y}| / 4.
        Path topn = write("s.csv", "user,item,rank,score\n"
                + "a,x,1,0.9\na,z,2,0.8\na,w,3,0.7\nb,w,1,0.5\nb,y,2,0.4\n");
        Path table = dir.resolve("out/table.csv");
        String[] result = run("score-topn", "--train", train().toString(), "--test", test().toString(),
                "--topn", topn.toString(), "-k", "2", "--csv", table.toString());
        assertEquals("0", result[0], result[2]);
        double g = Math.log(2) / Math.log(3);
        double ndcg = (1 / (1 + g) + g) / 3;
        List<String> lines = Files.readAllLines(table);
        assertEquals("system,k,ndcg,precision,recall_hits_over_min_k_relevant,recall_hits_over_relevant,hit_rate,"
                + "map,coverage,users,users_without_list,dropped_training_items", lines.get(0));
        assertEquals(String.format(java.util.Locale.ROOT, "s,2,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,3,1,1", ndcg,
                1.0 / 3, 0.5, 0.5, 2.0 / 3, 1.0 / 3, 0.75), lines.get(1));
        assertTrue(result[1].contains("cappedRecall@2") && result[1].contains(" recall@2"), result[1]);
        assertTrue(result[1].lines().anyMatch(l -> l.startsWith("s ")), result[1]);
    }

    @Test
    void theEvaluatorAgreesWithRankingEvaluationOnThePopularityBaseline() throws IOException {
        // popular-topn over the training file: counts x 2, y 1, z 1, w 1; ties in file order y, z, w.
        //   a (x, y): [z, w]; b (x, z): [y, w]; c (w): [x, y].
        Path out = dir.resolve("popular.csv");
        String[] result = run("popular-topn", "--train", train().toString(), "-k", "2", "--out", out.toString());
        assertEquals("0", result[0], result[2]);
        assertEquals(List.of("user,item,rank,score", "a,z,1,1.00000", "a,w,2,1.00000", "b,y,1,1.00000",
                "b,w,2,1.00000", "c,x,1,2.00000", "c,y,2,1.00000"), Files.readAllLines(out));
        // a: hit z at 1; b: hit y at 1; c: hit x at 1 -> HR 1, NDCG of each 1/idcg: a idcg 1 + g, b 1, c 1.
        Path table = dir.resolve("t.csv");
        result = run("score-topn", "--train", train().toString(), "--test", test().toString(), "--topn",
                out.toString(), "-k", "2", "--csv", table.toString());
        assertEquals("0", result[0], result[2]);
        double g = Math.log(2) / Math.log(3);
        String row = Files.readAllLines(table).get(1);
        assertTrue(row.startsWith(String.format(java.util.Locale.ROOT, "popular,2,%.6f,%.6f,", (1 / (1 + g) + 2) / 3,
                0.5)), row);
        assertTrue(row.endsWith(",1.000000,3,0,0"), row); // coverage {z, w, y, x} / 4; nothing dropped
    }

    @Test
    void badTopNFilesAreClearErrors() throws IOException {
        String[][] cases = {
            {"user,item,score\na,x,1\n", ":1: the header must be exactly user,item,rank,score"},
            {"user,item,rank,score\na,x,one,1\n", ":2: field rank 'one' is not a positive integer"},
            {"user,item,rank,score\na,x,1,1\na,x,2,1\n", ":3: field item: user a is recommended item x twice"},
            {"user,item,rank,score\na,x,1,1\na,y,1,1\n", ":3: field rank: user a has rank 1 twice"},
            {"user,item,rank,score\na,x,1\n", ":2: expected 4 fields"},
            {"user,item,rank,score\na,x,1,high\n", ":2: field score 'high' is not a number"},
        };
        for (String[] c : cases) {
            Path bad = write("bad.csv", c[0]);
            String[] result = run("score-topn", "--train", train().toString(), "--test", test().toString(),
                    "--topn", bad.toString());
            assertEquals("2", result[0], c[0]);
            assertTrue(result[2].contains(bad + c[1]), result[2]);
        }
        String[] result = run("score-topn", "--train", train().toString(), "--test", test().toString(),
                "--topn", write("ok.csv", "user,item,rank,score\n").toString(), "--threshold", "6");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("no held-out rating is at least 6.0"), result[2]);
    }

    @Test
    void splitRatingsWritesBothPartsAndNeverOverwrites() throws IOException {
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 4; u++) {
            for (int i = 0; i < 10; i++) {
                csv.append(u).append(',').append(i).append(",4.5,").append(u * 10 + i).append('\n');
            }
        }
        Path ratings = write("ratings.csv", csv.toString());
        Path trainOut = dir.resolve("s/train.csv");
        Path validOut = dir.resolve("s/valid.csv");
        String[] result = run("split-ratings", "--ratings", ratings.toString(), "--by-user", "--seed", "3",
                "--train-out", trainOut.toString(), "--valid-out", validOut.toString());
        assertEquals("0", result[0], result[2]);
        List<String> valid = Files.readAllLines(validOut);
        assertEquals("userId,movieId,rating,timestamp", valid.get(0));
        assertEquals(1 + 8, valid.size()); // two of each user's ten
        assertEquals(1 + 32, Files.readAllLines(trainOut).size());
        assertTrue(valid.get(1).matches("0,\\d,4\\.5,\\d+"), valid.get(1));
        result = run("split-ratings", "--ratings", ratings.toString(), "--train-out", trainOut.toString(),
                "--valid-out", dir.resolve("other.csv").toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains(trainOut + " exists"), result[2]);
        assertEquals(1 + 32, Files.readAllLines(trainOut).size());
    }
}
