package org.collab4j.model;

import java.util.Locale;

/**
 * The three Collab4J blocks by name: the one place that maps a command line's {@code dot|dotbias|net}, a model
 * file's {@code EmbeddingDot|EmbeddingDotBias|EmbeddingNet} and a block's class to each other and to the block's
 * builder.
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
    EMBEDDING_NET("net", "EmbeddingNet");

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
     * Finds a kind by its short name.
     *
     * @param name {@code dot}, {@code dotbias} or {@code net}; case and surrounding blanks do not matter
     * @return the kind
     * @throws IllegalArgumentException if the name is none of these
     */
    public static BlockKind parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
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
     */
    public CollabBlock.BaseBuilder<?> newBuilder() {
        return switch (this) {
            case EMBEDDING_DOT -> EmbeddingDot.builder();
            case EMBEDDING_DOT_BIAS -> EmbeddingDotBias.builder();
            case EMBEDDING_NET -> EmbeddingNet.builder();
        };
    }
}
