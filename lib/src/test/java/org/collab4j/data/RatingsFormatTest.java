package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RatingsFormatTest {

    @Test
    void forNameReturnsThePresets() {
        assertSame(RatingsFormat.MOVIELENS_CSV, RatingsFormat.forName("csv"));
        assertSame(RatingsFormat.ML_100K, RatingsFormat.forName("tsv"));
        assertSame(RatingsFormat.ML_DAT, RatingsFormat.forName("DAT"));
    }

    @Test
    void forNameListsTheValidNames() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RatingsFormat.forName("parquet"));
        assertTrue(e.getMessage().contains("\"parquet\""), e.getMessage());
        assertTrue(e.getMessage().contains("csv") && e.getMessage().contains("tsv")
                && e.getMessage().contains("dat"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RatingsFormat.forName(null));
    }

    @Test
    void defaultsAreUserItemRatingWithHeaderAndNoTimestamp() {
        assertEquals("RatingsFormat[delimiter=\";\", header=true, quote=\", user=column 0, item=column 1, "
                + "rating=column 2, timestamp=none]", RatingsFormat.builder().setDelimiter(";").build().toString());
        assertEquals("RatingsFormat[delimiter=\"\\t\", header=false, quote=none, user=column 0, item=column 1, "
                + "rating=column 2, timestamp=column 3]", RatingsFormat.ML_100K.toString());
    }

    @Test
    void delimiterIsRequired() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RatingsFormat.builder().build());
        assertTrue(e.getMessage().contains("setDelimiter"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RatingsFormat.builder().setDelimiter("").build());
        assertThrows(IllegalArgumentException.class, () -> RatingsFormat.builder().setDelimiter("\n").build());
    }

    @Test
    void delimiterMustNotContainTheQuote() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.builder().setDelimiter("\"").build());
        assertTrue(e.getMessage().contains("optQuote"), e.getMessage());
        RatingsFormat.builder().setDelimiter("\"").optQuote(null).build();
    }

    @Test
    void namedColumnsNeedAHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.builder().setDelimiter(",").optHeader(false).optRatingColumn("stars").build());
        assertTrue(e.getMessage().contains("rating column is chosen by name ('stars')"), e.getMessage());
        assertTrue(e.getMessage().contains("optHeader(true)"), e.getMessage());
    }

    @Test
    void columnsMustBeValidAndDistinct() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.builder().setDelimiter(",").optItemColumn(-1).build());
        assertTrue(negative.getMessage().contains("item column index is -1"), negative.getMessage());

        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.builder().setDelimiter(",").optTimestampColumn(0).build());
        assertTrue(same.getMessage().contains("user and timestamp columns are both column 0"), same.getMessage());

        IllegalArgumentException sameName = assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.builder().setDelimiter(",").optUserColumn("id").optItemColumn("id").build());
        assertTrue(sameName.getMessage().contains("'id'"), sameName.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.builder().setDelimiter(",").optUserColumn(" ").build());
        assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.builder().setDelimiter(",").optUserColumn(null).build());
    }
}
