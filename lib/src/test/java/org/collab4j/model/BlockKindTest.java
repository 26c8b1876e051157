package org.collab4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The one mapping of block names: command-line names, model-file names, classes and builders agree. */
class BlockKindTest {

    @Test
    void namesMapBothWaysForEveryKind() {
        assertEquals(List.of("dot", "dotbias", "net", "ease"),
                List.of(BlockKind.values()).stream().map(BlockKind::cliName).toList());
        assertEquals(List.of("EmbeddingDot", "EmbeddingDotBias", "EmbeddingNet", "ItemItem"),
                List.of(BlockKind.values()).stream().map(BlockKind::blockName).toList());
        assertSame(BlockKind.ITEM_ITEM, BlockKind.byBlockName("ItemItem"));
        for (BlockKind kind : blocks()) {
            assertSame(kind, BlockKind.parse(kind.cliName()));
            assertSame(kind, BlockKind.parse(" " + kind.cliName().toUpperCase(java.util.Locale.ROOT) + " "));
            assertSame(kind, BlockKind.byBlockName(kind.blockName()));
        }
        assertNull(BlockKind.byBlockName("dotbias"));
        assertNull(BlockKind.byBlockName("EmbeddingMlp"));
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockKind.parse("mlp"));
        assertEquals("unknown block kind 'mlp'; use dot (EmbeddingDot), dotbias (EmbeddingDotBias) or net"
                + " (EmbeddingNet)", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BlockKind.parse(null)).getMessage()
                .startsWith("unknown block kind null;"));
    }

    @Test
    void eachKindBuildsItsOwnBlockWithTheSharedSettings() {
        YRange range = new YRange(1f, 5f);
        for (BlockKind kind : blocks()) {
            CollabBlock block = kind.newBuilder().optFactors(3).optYRange(range).setNumUsers(4).setNumItems(5)
                    .build();
            assertEquals(kind.blockName(), block.getClass().getSimpleName());
            assertSame(kind, BlockKind.of(block));
            assertEquals(4, block.getNumUsers());
        }
        EmbeddingNet net = assertInstanceOf(EmbeddingNet.class, BlockKind.EMBEDDING_NET.newBuilder().optFactors(3)
                .optYRange(range).setNumUsers(4).setNumItems(5).build());
        assertEquals(3, net.getUserFactors());
        assertEquals(3, net.getItemFactors());
        assertEquals(range, net.getYRange());
        EmbeddingDot dot = (EmbeddingDot) BlockKind.EMBEDDING_DOT.newBuilder().optFactors(7).optYRange(null)
                .setNumUsers(1).setNumItems(1).build();
        assertEquals(7, dot.getFactors());
        assertNull(dot.getYRange());
    }

    @Test
    void theItemItemKindIsNoBlock() {
        assertTrue(!BlockKind.ITEM_ITEM.hasBlock());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BlockKind.parse("ease")).getMessage()
                .contains("--implicit --loss ease"));
        assertTrue(assertThrows(IllegalStateException.class, BlockKind.ITEM_ITEM::newBuilder).getMessage()
                .contains("EaseTrainer"));
    }

    private static List<BlockKind> blocks() {
        return List.of(BlockKind.values()).stream().filter(BlockKind::hasBlock).toList();
    }

    @Test
    void aSubclassHasNoKind() {
        CollabBlock sub = new EmbeddingDotBias(EmbeddingDotBias.builder().setNumUsers(1).setNumItems(1)) {};
        assertNull(BlockKind.of(sub));
    }
}
