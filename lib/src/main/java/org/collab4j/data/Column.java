package org.collab4j.data;

/**
 * One column of a {@link RatingsFormat}, chosen either by 0-based index or by header name. Exactly
 * one of the two is set.
 */
final class Column {

    private final boolean byName;
    private final int index;
    private final String name;

    private Column(boolean byName, int index, String name) {
        this.byName = byName;
        this.index = index;
        this.name = name;
    }

    static Column at(int index) {
        return new Column(false, index, null);
    }

    /** The name may be null or blank here; {@link RatingsFormat.Builder#build()} rejects it. */
    static Column named(String name) {
        return new Column(true, -1, name);
    }

    /** Returns true if the column is chosen by header name. */
    boolean byName() {
        return byName;
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    /** Returns true if both columns are given the same way and pick the same column. */
    boolean sameAs(Column other) {
        return byName == other.byName && (byName ? name.equals(other.name) : index == other.index);
    }

    @Override
    public String toString() {
        return byName() ? "'" + name + "'" : "column " + index;
    }
}
