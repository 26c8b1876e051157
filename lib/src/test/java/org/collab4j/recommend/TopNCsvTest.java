package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared top-N CSV: header, ranks, quoting, streaming, and atomic files. */
class TopNCsvTest {

    @TempDir
    Path dir;

    private static final List<UserRecommendations> LISTS = List.of(
            new UserRecommendations("1", List.of(new ScoredId("31", 4.5f, "A"), new ScoredId("a,b", 0.1f, null))),
            new UserRecommendations("say \"hi\"", List.of(new ScoredId("7", 3f, null))));

    @Test
    void writesTheHeaderRanksAndQuotedIds() throws IOException {
        StringWriter out = new StringWriter();
        TopNCsv csv = TopNCsv.to(out);
        csv.sink().accept(LISTS);
        assertEquals("user,item,rank,score\n1,31,1,4.5\n1,\"a,b\",2,0.1\n\"say \"\"hi\"\"\",7,1,3.0\n",
                out.toString());
        assertEquals(3, csv.rows());
    }

    @Test
    void aFileIsReplacedOnlyWhenComplete() throws IOException {
        Path file = dir.resolve("sub/top.csv");
        TopNCsv.write(file, LISTS);
        String written = Files.readString(file);
        assertEquals(4, written.lines().count());
        IOException e = assertThrows(IOException.class, () -> TopNCsv.write(file, csv -> {
            csv.write(LISTS.get(0));
            csv.sink().accept(List.of(new UserRecommendations("x", List.of())));
            throw new IOException("disk full");
        }));
        // AtomicFiles names the file and keeps the cause's message.
        assertTrue(e.getMessage().contains("disk full") && e.getMessage().contains("top.csv"), e.getMessage());
        assertEquals(written, Files.readString(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void theStaticWritersWriteTheSameBytesAsTheStreamingOne() throws IOException {
        StringWriter streaming = new StringWriter();
        TopNCsv.to(streaming).write(LISTS);
        StringWriter rows = new StringWriter();
        TopNCsv.writeHeader(rows);
        int written = 0;
        for (UserRecommendations list : LISTS) {
            written += TopNCsv.writeRows(rows, list);
        }
        assertEquals(streaming.toString(), rows.toString());
        assertEquals(3, written);
        // A score Java prints with an exponent is written with a lower-case e, by both.
        StringWriter tiny = new StringWriter();
        TopNCsv.to(tiny).write(new UserRecommendations("u", List.of(new ScoredId("i", 1e-5f, null))));
        assertEquals("user,item,rank,score\nu,i,1,1.0e-5\n", tiny.toString());
    }
}
