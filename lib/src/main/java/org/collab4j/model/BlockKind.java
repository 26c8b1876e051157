package org.collab4j.model;

import java.util.Locale;

/**
 * The kinds of Collab4J model by name: the one place that maps a command line's {@code dot|dotbias|net}, a model
 * file's {@code EmbeddingDot|EmbeddingDotBias|EmbeddingNet} and a block's class to each other and to the block's
 * builder; and {@link #ITEM_ITEM}, the item-item model (EASE), which has no DJL block: it is trained in closed
 * form ({@code org.collab4j.train.ease}) and served in plain Java.
 *
 * <pre>{@code
 * CollabBlock.BaseBuilder<?> block = BlockKind.parse("dotbias").newBuilder().optFactors(50);
 * }</pre>
 *
 * <p>Names only, no DJL: serving code that switches on a saved model's kind loads this enum without the engine.
 * Only {@link #newBuilder()} reaches the blocks, when it runs.
 */
public enum BlockKind {

    /** {@link EmbeddingDot}: {@code dot}. */
    EMBEDDING_DOT("dot", "EmbeddingDot"),
    /** {@link EmbeddingDotBias}: {@code dotbias}. */
    EMBEDDING_DOT_BIAS("dotbias", "EmbeddingDotBias"),
    /** {@link EmbeddingNet}: {@code net}. */
    EMBEDDING_NET("net", "EmbeddingNet"),
    /**
     * An item-item model (EASE): an {@code n × n} item weight matrix and each user's history, no factors and no
     * DJL block; {@code ease} is the {@code --loss} that trains it, not a {@code --block} ({@link #parse} refuses
     * it).
     */
    ITEM_ITEM("ease", "ItemItem");

    private final String cliName;
    private final String blockName;

    BlockKind(String cliName, String blockName) {
        this.cliName = cliName;
        this.blockName = blockName;
    }

    /**
     * Returns the short name command lines use.
     *
     * @return {@code "dot"}, {@code "dotbias"} or {@code "net"}
     */
    public String cliName() {
        return cliName;
    }

    /**
     * Returns the block's class name, as written in a model file.
     *
     * @return e.g. {@code "EmbeddingDotBias"}
     */
    public String blockName() {
        return blockName;
    }

    /**
     * Tells whether the kind is a DJL block (a factor model), which everything but {@link #ITEM_ITEM} is.
     *
     * @return {@code false} for {@link #ITEM_ITEM}
     */
    public boolean hasBlock() {
        return this != ITEM_ITEM;
    }

    /**
     * Finds a kind by its short name.
     *
     * @param name {@code dot}, {@code dotbias} or {@code net}; case and surrounding blanks do not matter
     * @return the kind
     * @throws IllegalArgumentException if the name is none of these
     */
    public static BlockKind parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (key.equals(ITEM_ITEM.cliName)) {
            throw new IllegalArgumentException("ease is not a block: train the item-item model with --implicit"
                    + " --loss ease (EaseTrainer in the library); blocks are dot, dotbias and net");
        }
        for (BlockKind kind : values()) {
            if (kind.cliName.equals(key)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown block kind " + (name == null ? "null" : "'" + name + "'")
                + "; use dot (EmbeddingDot), dotbias (EmbeddingDotBias) or net (EmbeddingNet)");
    }

    /**
     * Finds a kind by its block's class name, as a model file names it.
     *
     * @param blockName e.g. {@code "EmbeddingDotBias"}
     * @return the kind, or {@code null} if there is none of that name
     */
    public static BlockKind byBlockName(String blockName) {
        for (BlockKind kind : values()) {
            if (kind.blockName.equals(blockName)) {
                return kind;
            }
        }
        return null;
    }

    /**
     * Finds the kind of a block by its exact class: a subclass may compute something else, which a saved model
     * or the plain-Java scorer would not reproduce.
     *
     * @param block a block
     * @return the kind, or {@code null} for any other class, a subclass included
     */
    public static BlockKind of(CollabBlock block) {
        Class<?> type = block.getClass();
        if (type == EmbeddingDot.class) {
            return EMBEDDING_DOT;
        }
        if (type == EmbeddingDotBias.class) {
            return EMBEDDING_DOT_BIAS;
        }
        return type == EmbeddingNet.class ? EMBEDDING_NET : null;
    }

    /**
     * Returns a new builder of this kind's block with its defaults; {@link CollabBlock.BaseBuilder#optFactors} and
     * {@link CollabBlock.BaseBuilder#optYRange} apply to every kind, an {@link EmbeddingNet.Builder}'s own
     * settings after a cast.
     *
     * @return the block's builder
     * @throws IllegalStateException for {@link #ITEM_ITEM}, which has no block
     */
    public CollabBlock.BaseBuilder<?> newBuilder() {
        return switch (this) {
            case EMBEDDING_DOT -> EmbeddingDot.builder();
            case EMBEDDING_DOT_BIAS -> EmbeddingDotBias.builder();
            case EMBEDDING_NET -> EmbeddingNet.builder();
            case ITEM_ITEM -> throw new IllegalStateException("an item-item model (EASE) has no DJL block: train"
                    + " it with org.collab4j.train.ease.EaseTrainer");
        };
    }
}
