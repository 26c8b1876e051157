package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.collab4j.util.InputFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureFormatTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** One id's features by name, for assertions. */
    static Map<String, Float> row(FeatureTable table, String id) {
        int r = table.ids().indexOf(id);
        Map<String, Float> features = new LinkedHashMap<>();
        for (int e = table.matrix().start(r); e < table.matrix().end(r); e++) {
            features.put(table.featureNames().get(table.matrix().columns()[e]), table.matrix().values()[e]);
        }
        return features;
    }

    private static FeatureFormat.Builder items() {
        return FeatureFormat.builder().setIdColumn("item")
                .addColumn(FeatureColumn.multiValued("genres", "|").named("genre"))
                .addColumn(FeatureColumn.categorical("country"))
                .addColumn(FeatureColumn.numeric("price"));
    }

    private static final String ITEMS = "item,genres,country,price\n"
            + "a,Comedy|Drama,FR,1\n"
            + "b,Drama,,3\n"
            + "\n"
            + "c, Drama | Comedy |,US,\n"
            + "d,,US,5\n";

    @Test
    void readsCategoricalMultiValuedAndStandardisedNumericColumns() throws IOException {
        FeatureTable table = items().build().read(write("items.csv", ITEMS));
        assertEquals(List.of("a", "b", "c", "d"), table.ids().ids());
        assertEquals(List.of("genre=Comedy", "genre=Drama", "country=FR", "country=US", "price", "price=<missing>"),
                table.featureNames());
        // price 1, 3, 5 over the ids that have one: mean 3, population sd sqrt(8/3).
        double sd = Math.sqrt(8.0 / 3);
        assertEquals(Map.of("genre=Comedy", 1f, "genre=Drama", 1f, "country=FR", 1f, "price", (float) (-2 / sd)),
                row(table, "a"));
        assertEquals(Map.of("genre=Drama", 1f, "price", 0f), row(table, "b"));
        assertEquals(Map.of("genre=Comedy", 1f, "genre=Drama", 1f, "country=US", 1f, "price=<missing>", 1f),
                row(table, "c"));
        assertEquals(Map.of("country=US", 1f, "price", (float) (2 / sd)), row(table, "d"));
        assertTrue(table.source().endsWith("items.csv"));
    }

    @Test
    void withoutTheIndicatorAMissingNumberIsJustTheMean() throws IOException {
        FeatureTable table = items().optMissingIndicator(false).build().read(write("items.csv", ITEMS));
        assertEquals(List.of("genre=Comedy", "genre=Drama", "country=FR", "country=US", "price"),
                table.featureNames());
        assertEquals(Map.of("genre=Comedy", 1f, "genre=Drama", 1f, "country=US", 1f), row(table, "c"));
    }

    @Test
    void aConstantColumnStandardisesToZero() throws IOException {
        FeatureTable table = FeatureFormat.builder().setIdColumn("id").addColumn(FeatureColumn.numeric("x")).build()
                .read(write("c.csv", "id,x\na,7\nb,7.0\n"));
        assertEquals(Map.of("x", 0f), row(table, "a"));
        assertEquals(Map.of("x", 0f), row(table, "b"));
    }

    @Test
    void rareValuesArePooledByTheNumberOfIdsThatHaveThem() throws IOException {
        // 'x' is on three lines of one id: it counts once, and is pooled at minCount 2 with 'y'.
        Path file = write("tags.csv", "id,tag\n1,x\n1,x\n1,x\n1,common\n2,common\n3,y\n3,common\n");
        FeatureFormat.Builder format = FeatureFormat.builder().setIdColumn("id")
                .addColumn(FeatureColumn.categorical("tag")).optRowsAccumulate(true);
        FeatureTable all = format.build().read(file);
        assertEquals(List.of("tag=x", "tag=common", "tag=y"), all.featureNames());
        assertEquals(Map.of("tag=x", 1f, "tag=common", 1f), row(all, "1"));
        FeatureTable pooled = format.optMinCount(2).build().read(file);
        assertEquals(List.of("tag=common", "tag=<other>"), pooled.featureNames());
        assertEquals(Map.of("tag=common", 1f, "tag=<other>", 1f), row(pooled, "1"));
        assertEquals(Map.of("tag=common", 1f), row(pooled, "2"));
        assertEquals(Map.of("tag=common", 1f, "tag=<other>", 1f), row(pooled, "3"));
        assertEquals(pooled.featureNames(), format.build().withMinCount(2).read(file).featureNames());
    }

    @Test
    void columnsByPositionWithoutAHeaderAnotherDelimiterAndASharedName() throws IOException {
        Path file = write("u.item", "7|x|1|0\n8|y|1|1\n");
        FeatureFormat format = FeatureFormat.builder().setIdColumn(0).optHeader(false).optDelimiter('|')
                .addColumn(FeatureColumn.categorical(2).named("genre").mapped(f -> f.equals("1") ? "A" : null))
                .addColumn(FeatureColumn.categorical(3).named("genre").mapped(f -> f.equals("1") ? "B" : null))
                .build();
        FeatureTable table = format.read(file);
        assertEquals(List.of("genre=A", "genre=B"), table.featureNames());
        assertEquals(Map.of("genre=A", 1f), row(table, "7"));
        assertEquals(Map.of("genre=A", 1f, "genre=B", 1f), row(table, "8"));
    }

    @Test
    void readsTheGivenCharsetAndStripsAByteOrderMark() throws IOException {
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, "id,city\n1,Bogot\u00e1\n".getBytes(StandardCharsets.ISO_8859_1));
        FeatureFormat.Builder format = FeatureFormat.builder().setIdColumn("id")
                .addColumn(FeatureColumn.categorical("city"));
        assertEquals(List.of("city=Bogot\u00e1"),
                format.optCharset(StandardCharsets.ISO_8859_1).build().read(latin).featureNames());
        FeatureTable bom = format.optCharset(StandardCharsets.UTF_8).build()
                .read(write("bom.csv", "\uFEFFid,city\n1,Lyon\n"));
        assertEquals(List.of("1"), bom.ids().ids());
    }

    @Test
    void aQuotedFieldMayHoldTheDelimiter() throws IOException {
        FeatureTable table = FeatureFormat.builder().setIdColumn("id").addColumn(FeatureColumn.categorical("t"))
                .build().read(write("q.csv", "id,t\n1,\"a, b\"\n"));
        assertEquals(List.of("t=a, b"), table.featureNames());
    }

    // ---- bad input: each a FeatureFileException naming the line and the column ----

    private FeatureFileException refused(FeatureFormat format, String content) throws IOException {
        Path file = write("bad.csv", content);
        FeatureFileException e = assertThrows(FeatureFileException.class, () -> format.read(file));
        assertTrue(e.getMessage().startsWith("cannot read " + file + ": "), e.getMessage());
        assertEquals(file, e.file());
        return e;
    }

    @Test
    void aDuplicatedIdNamesBothLines() throws IOException {
        FeatureFileException e = refused(items().build(), "item,genres,country,price\na,Drama,FR,1\nb,,,\na,,,\n");
        assertEquals(FeatureFileException.Kind.DUPLICATE_ID, e.kind());
        assertEquals(4, e.line());
        assertEquals("item", e.column());
        assertTrue(e.getMessage().contains("the id \"a\" is already on line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("give each id one line"), e.getMessage());
    }

    @Test
    void aMissingColumnListsTheHeader() throws IOException {
        FeatureFileException e = refused(items().build(), "item,genres,price\na,Drama,1\n");
        assertEquals(FeatureFileException.Kind.MISSING_COLUMN, e.kind());
        assertEquals(1, e.line());
        assertEquals("country", e.column());
        assertTrue(e.getMessage().contains("no column named 'country' in the header; its columns are"),
                e.getMessage());
        FeatureFileException wrongDelimiter = refused(items().build(), "item;genres;country;price\na;x;y;1\n");
        assertTrue(wrongDelimiter.getMessage().contains("check the delimiter"), wrongDelimiter.getMessage());
        FeatureFormat positional = FeatureFormat.builder().setIdColumn(0).optHeader(false)
                .addColumn(FeatureColumn.numeric(4).named("x")).build();
        FeatureFileException beyond = refused(positional, "1,2,3\n");
        assertEquals(FeatureFileException.Kind.MISSING_COLUMN, beyond.kind());
        assertEquals("column 4", beyond.column());
    }

    @Test
    void textInANumericColumn() throws IOException {
        FeatureFileException e = refused(items().build(), "item,genres,country,price\na,,,1\nb,,,cheap\n");
        assertEquals(FeatureFileException.Kind.NOT_A_NUMBER, e.kind());
        assertEquals(3, e.line());
        assertEquals("price", e.column());
        assertTrue(e.getMessage().contains("line 3, column 'price': expected a number, found \"cheap\"; fix the"
                + " value, or leave the field empty for a missing value"), e.getMessage());
    }

    @Test
    void aNonFiniteNumber() throws IOException {
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "1e300")) {
            FeatureFileException e = refused(items().build(), "item,genres,country,price\na,,,1\nb,,," + bad + "\n");
            assertEquals(FeatureFileException.Kind.NOT_FINITE, e.kind(), bad);
            assertEquals(3, e.line());
            assertEquals("price", e.column());
        }
    }

    @Test
    void anEmptyId() throws IOException {
        FeatureFileException e = refused(items().build(), "item,genres,country,price\n,Drama,FR,1\n");
        assertEquals(FeatureFileException.Kind.EMPTY_ID, e.kind());
        assertEquals(2, e.line());
        assertEquals("item", e.column());
    }

    @Test
    void aLineWithTooFewOrTooManyFields() throws IOException {
        FeatureFileException few = refused(items().build(), "item,genres,country,price\na,Drama,FR,1\nb,Drama\n");
        assertEquals(FeatureFileException.Kind.FIELD_COUNT, few.kind());
        assertEquals(3, few.line());
        assertEquals("country", few.column());
        assertTrue(few.getMessage().contains("expected 4 fields (as in the header on line 1), found 2"),
                few.getMessage());
        FeatureFileException many = refused(items().build(), "item,genres,country,price\na,Drama,FR,1,2\n");
        assertEquals(FeatureFileException.Kind.FIELD_COUNT, many.kind());
        assertEquals(2, many.line());
    }

    @Test
    void aHugeVocabularyWhileReadingAndAfterPooling() throws IOException {
        StringBuilder file = new StringBuilder("id,title\n");
        for (int i = 0; i < 30; i++) {
            file.append(i).append(",title ").append(i).append('\n');
        }
        FeatureFormat.Builder format = FeatureFormat.builder().setIdColumn("id")
                .addColumn(FeatureColumn.categorical("title"));
        // A cap of 5 features: more than 20 distinct values stop the reading at the 21st, on line 22.
        FeatureFileException reading = refused(format.optMaxFeatures(5).build(), file.toString());
        assertEquals(FeatureFileException.Kind.TOO_MANY_FEATURES, reading.kind());
        assertEquals(22, reading.line());
        assertEquals("title", reading.column());
        assertTrue(reading.getMessage().contains("leave this column out"), reading.getMessage());
        // A cap of 10: 30 raw values may be read, but 30 features are more than 10 after pooling.
        FeatureFileException pooled = refused(format.optMaxFeatures(10).build(), file.toString());
        assertEquals(FeatureFileException.Kind.TOO_MANY_FEATURES, pooled.kind());
        assertEquals(0, pooled.line());
        assertEquals("title", pooled.column());
        assertTrue(pooled.getMessage().contains("30 features after pooling"), pooled.getMessage());
        assertTrue(pooled.getMessage().contains("pool rare values (a higher minimum count)"), pooled.getMessage());
        // Pooling is the way out: every title is on one id.
        assertEquals(List.of("title=<other>"),
                format.optMaxFeatures(10).optMinCount(2).build().read(write("t.csv", file.toString()))
                        .featureNames());
    }

    @Test
    void aMappingThatRefusesAValue() throws IOException {
        FeatureFormat format = FeatureFormat.builder().setIdColumn("id").addColumn(FeatureColumn.categorical("f")
                .mapped(v -> {
                    if (!v.equals("0") && !v.equals("1")) {
                        throw new IllegalArgumentException("expected a flag, 0 or 1");
                    }
                    return v.equals("1") ? "yes" : null;
                })).build();
        FeatureFileException e = refused(format, "id,f\na,1\nb,2\n");
        assertEquals(FeatureFileException.Kind.BAD_VALUE, e.kind());
        assertEquals(3, e.line());
        assertEquals("f", e.column());
        assertTrue(e.getMessage().contains("expected a flag, 0 or 1, found \"2\""), e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8() throws IOException {
        Path file = dir.resolve("latin.csv");
        Files.write(file, "id,city\n1,Bogot\u00e1\n".getBytes(StandardCharsets.ISO_8859_1));
        FeatureFileException e = assertThrows(FeatureFileException.class, () -> FeatureFormat.builder()
                .setIdColumn("id").addColumn(FeatureColumn.categorical("city")).build().read(file));
        assertEquals(FeatureFileException.Kind.ENCODING, e.kind());
        assertEquals(2, e.line());
        assertEquals("city", e.column());
        assertTrue(e.getMessage().contains("optCharset"), e.getMessage());
    }

    @Test
    void brokenQuoting() throws IOException {
        FeatureFileException e = refused(items().build(), "item,genres,country,price\na,\"Drama,FR,1\n");
        assertEquals(FeatureFileException.Kind.QUOTING, e.kind());
        assertEquals(2, e.line());
    }

    @Test
    void aFileWithoutRows() throws IOException {
        FeatureFileException e = refused(items().build(), "item,genres,country,price\n\n");
        assertEquals(FeatureFileException.Kind.NO_ROWS, e.kind());
        assertEquals(0, e.line());
        assertTrue(e.getMessage().contains("only the header on line 1"), e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        assertThrows(InputFileException.class, () -> items().build().read(empty));
        assertThrows(InputFileException.class, () -> items().build().read(dir.resolve("none.csv")));
    }

    @Test
    void theBuilderRefusesFormatsThatCannotBeRead() {
        assertThrows(IllegalArgumentException.class, () -> FeatureFormat.builder()
                .addColumn(FeatureColumn.categorical("x")).build());
        assertThrows(IllegalArgumentException.class, () -> FeatureFormat.builder().setIdColumn("id").build());
        IllegalArgumentException unnamed = assertThrows(IllegalArgumentException.class, () -> FeatureFormat.builder()
                .setIdColumn(0).optHeader(false).addColumn(FeatureColumn.categorical(1)).build());
        assertTrue(unnamed.getMessage().contains("named(...)"), unnamed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureFormat.builder().setIdColumn("id")
                .optHeader(false).addColumn(FeatureColumn.categorical(1).named("x")).build());
        assertThrows(IllegalArgumentException.class, () -> FeatureFormat.builder().setIdColumn("id")
                .addColumn(FeatureColumn.numeric("x")).optRowsAccumulate(true).build());
        assertThrows(IllegalArgumentException.class, () -> FeatureFormat.builder().setIdColumn("id")
                .addColumn(FeatureColumn.numeric("x")).addColumn(FeatureColumn.categorical("y").named("x")).build());
        assertThrows(IllegalArgumentException.class, () -> FeatureFormat.builder().setIdColumn("id")
                .addColumn(FeatureColumn.categorical("x")).optMinCount(0).build());
        assertThrows(IllegalArgumentException.class, () -> FeatureColumn.categorical("a").named("a=b"));
        assertThrows(IllegalArgumentException.class, () -> FeatureColumn.multiValued("a", ""));
    }
}
