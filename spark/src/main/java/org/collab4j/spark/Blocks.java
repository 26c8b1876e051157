package org.collab4j.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's iterator in blocks: takes up to {@code size} inputs, maps the block at once, hands out the
 * results one by one, and only then takes the next block. A partition of a million users is scored a block at a
 * time, in memory of one block's results.
 *
 * @param <T> the inputs
 * @param <R> the outputs
 */
final class Blocks<T, R> implements Iterator<R> {

    private final Iterator<T> input;
    private final int size;
    private final Function<List<T>, List<R>> map;
    private Iterator<R> current = Collections.emptyIterator();

    Blocks(Iterator<T> input, int size, Function<List<T>, List<R>> map) {
        this.input = input;
        this.size = size;
        this.map = map;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && input.hasNext()) {
            // Sized by what arrives, not by the block size: optBlockSize(2_000_000_000) must not allocate 8 GB.
            List<T> block = new ArrayList<>(Math.min(size, 1024));
            while (block.size() < size && input.hasNext()) {
                block.add(input.next());
            }
            current = map.apply(block).iterator();
        }
        return current.hasNext();
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
