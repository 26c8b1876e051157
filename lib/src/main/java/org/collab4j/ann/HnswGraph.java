package org.collab4j.ann;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hierarchical navigable small-world graph over a {@link MipsSpace} (Malkov and Yashunin 2016): each item links to
 * up to {@code 2m} near items on level 0 and up to {@code m} on each of the few levels above it that a random draw
 * gives it; a search descends greedily from the top level's entry point, then explores level 0 keeping the
 * {@code ef} best items seen. "Near" is the largest inner product ({@link MipsSpace#item}), so that the search
 * finds the largest scores.
 *
 * <p>Written here rather than taken from a library so that the graph's links can be saved and loaded in Collab4J's
 * own checked file format (the Java libraries save theirs with Java serialization, unsafe to read from a file) and
 * the item vectors need not be copied: the graph reads the model's own rows.
 *
 * <p>Built by one or more threads ({@link #build}); one thread gives the same graph for the same seed every time,
 * several give a graph that depends on their timing (the links of each item are guarded by a striped lock while it
 * is built). Once built it is immutable, and any number of threads may search it.
 */
final class HnswGraph {

    /** The highest level an item may get: with {@code m >= 2} a level above 16 is drawn about never. */
    static final int MAX_LEVEL = 16;
    /** How many items are inserted by one thread before the others join in, so that the graph has a shape first. */
    private static final int SEQUENTIAL_START = 1024;
    private static final int LOCK_STRIPES = 1 << 12;
    /**
     * A query's search stops after comparing 1/16 of the items (plus {@value #MIN_BUDGET}) with it, with what it has
     * found: a filter that lets through few items would otherwise walk the whole graph, slower than scoring them
     * all. The recommender scores a list exactly when such a search found fewer than it needs.
     */
    static final int BUDGET_FRACTION = 16;
    static final int MIN_BUDGET = 1000;

    private final MipsSpace space;
    private final int m;
    private final int m0;
    private final int[] levels;
    /** Level 0: per item {@code m0 + 1} ints, the count first. */
    private final int[] links0;
    /** Levels 1 and up: per item {@code levels[item] × (m + 1)} ints (level l at {@code (l − 1)(m + 1)}), or null. */
    private final int[][] upper;
    private int entry;
    private int maxLevel;
    /** Guards the links while the graph is built; null once it is. */
    private Object[] locks;
    private final ThreadLocal<Context> contexts;

    HnswGraph(MipsSpace space, int m, int[] levels, int[] links0, int[][] upper, int entry, int maxLevel) {
        this.space = space;
        this.m = m;
        this.m0 = 2 * m;
        this.levels = levels;
        this.links0 = links0;
        this.upper = upper;
        this.entry = entry;
        this.maxLevel = maxLevel;
        this.contexts = ThreadLocal.withInitial(() -> new Context(space.size(), m0));
    }

    /**
     * Builds the graph.
     *
     * @param space the items
     * @param m the links per item on the upper levels (twice as many on level 0), at least 2
     * @param efConstruction how many candidates an insertion keeps while it looks for an item's links
     * @param seed the seed of the levels' draw
     * @param threads how many threads insert, at least 1 (1: the same graph every time)
     * @return the graph
     */
    static HnswGraph build(MipsSpace space, int m, int efConstruction, long seed, int threads) {
        int n = space.size();
        int[] levels = drawLevels(n, m, seed);
        int[][] upper = new int[n][];
        int top = 0;
        int entry = 0;
        for (int i = 0; i < n; i++) {
            if (levels[i] > 0) {
                upper[i] = new int[levels[i] * (m + 1)];
            }
        }
        long links = (long) n * (2 * m + 1);
        if (links > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " items with m = " + m + " need " + links + " links on level 0,"
                    + " more than one array holds: lower m");
        }
        HnswGraph graph = new HnswGraph(space, m, levels, new int[(int) links], upper, entry, n > 0 ? levels[0]
                : top);
        graph.locks = new Object[LOCK_STRIPES];
        for (int s = 0; s < LOCK_STRIPES; s++) {
            graph.locks[s] = new Object();
        }
        int sequential = Math.min(n, threads == 1 ? n : SEQUENTIAL_START);
        Context context = new Context(n, graph.m0);
        for (int i = 1; i < sequential; i++) {
            graph.insert(i, efConstruction, context);
        }
        if (sequential < n) {
            graph.insertInParallel(sequential, efConstruction, threads);
        }
        graph.locks = null;
        return graph;
    }

    private void insertInParallel(int first, int efConstruction, int threads) {
        AtomicInteger next = new AtomicInteger(first);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                Context context = new Context(space.size(), m0);
                try {
                    for (int i = next.getAndIncrement(); i < space.size() && failure.get() == null;
                            i = next.getAndIncrement()) {
                        insert(i, efConstruction, context);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "collab4j-hnsw-build-" + t);
            workers[t].start();
        }
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        } else if (e instanceof Error err) {
            throw err;
        } else if (e != null) {
            throw new IllegalStateException("building the approximate index was interrupted", e);
        }
    }

    /** Each item's level: {@code floor(−ln(U) / ln(m))}, from one seeded stream in item order. */
    static int[] drawLevels(int n, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double scale = 1 / Math.log(m);
        int[] levels = new int[n];
        for (int i = 0; i < n; i++) {
            levels[i] = Math.min(MAX_LEVEL, (int) (-Math.log(1 - random.nextDouble()) * scale));
        }
        return levels;
    }

    private void insert(int item, int efConstruction, Context c) {
        int level = levels[item];
        int ep;
        int top;
        synchronized (locks) {
            ep = entry;
            top = maxLevel;
        }
        for (int l = top; l > level; l--) {
            ep = greedy(null, item, ep, l, c);
        }
        int[] entries = {ep};
        for (int l = Math.min(level, top); l >= 0; l--) {
            search(null, item, entries, efConstruction, l, c);
            int found = c.results.size();
            int[] ids = new int[found];
            float[] sims = new float[found];
            drain(c.results, ids, sims);
            int[] chosen = select(ids, sims, l == 0 ? m0 : m);
            setLinks(item, l, chosen);
            for (int neighbour : chosen) {
                addLink(neighbour, item, l);
            }
            entries = ids;
        }
        if (level > top) {
            synchronized (locks) {
                if (level > maxLevel) {
                    maxLevel = level;
                    entry = item;
                }
            }
        }
    }

    /**
     * The neighbour-selection heuristic: candidates best first, each kept only if it is nearer the new item than
     * to every one kept before it, so that links spread in several directions rather than into one cluster.
     */
    private int[] select(int[] ids, float[] sims, int most) {
        int[] chosen = new int[Math.min(most, ids.length)];
        int count = 0;
        for (int n = 0; n < ids.length && count < chosen.length; n++) {
            boolean keep = true;
            for (int k = 0; k < count && keep; k++) {
                keep = space.item(ids[n], chosen[k]) <= sims[n];
            }
            if (keep) {
                chosen[count++] = ids[n];
            }
        }
        return Arrays.copyOf(chosen, count);
    }

    private void setLinks(int item, int level, int[] chosen) {
        synchronized (lock(item)) {
            int[] a = level == 0 ? links0 : upper[item];
            int o = offset(item, level);
            a[o] = chosen.length;
            System.arraycopy(chosen, 0, a, o + 1, chosen.length);
        }
    }

    /**
     * Links {@code from} to {@code to}; when {@code from} is full, its links and {@code to} go through the
     * selection heuristic again ({@link #select}), as in the paper: keeping the nearest alone would cut the links
     * between clusters and leave islands the search cannot reach.
     */
    private void addLink(int from, int to, int level) {
        int most = level == 0 ? m0 : m;
        synchronized (lock(from)) {
            int[] a = level == 0 ? links0 : upper[from];
            int o = offset(from, level);
            int count = a[o];
            if (count < most) {
                a[o + 1 + count] = to;
                a[o] = count + 1;
                return;
            }
            int[] ids = new int[count + 1];
            float[] sims = new float[count + 1];
            for (int k = 0; k <= count; k++) {
                ids[k] = k < count ? a[o + 1 + k] : to;
                sims[k] = space.item(from, ids[k]);
            }
            sortDescending(ids, sims);
            int[] chosen = select(ids, sims, most);
            a[o] = chosen.length;
            System.arraycopy(chosen, 0, a, o + 1, chosen.length);
        }
    }

    /** Sorts pairs by similarity, best first (insertion sort: at most {@code 2m + 1} of them). */
    private static void sortDescending(int[] ids, float[] sims) {
        for (int n = 1; n < ids.length; n++) {
            int id = ids[n];
            float s = sims[n];
            int j = n;
            while (j > 0 && sims[j - 1] < s) {
                ids[j] = ids[j - 1];
                sims[j] = sims[j - 1];
                j--;
            }
            ids[j] = id;
            sims[j] = s;
        }
    }

    private Object lock(int item) {
        return locks[item & (LOCK_STRIPES - 1)];
    }

    private int offset(int item, int level) {
        return level == 0 ? item * (m0 + 1) : (level - 1) * (m + 1);
    }

    /** Copies an item's links on a level into {@code buffer}, under its lock while the graph is built. */
    private int links(int item, int level, int[] buffer) {
        int[] a = level == 0 ? links0 : upper[item];
        int o = offset(item, level);
        Object[] building = locks;
        if (building != null) {
            synchronized (building[item & (LOCK_STRIPES - 1)]) {
                int count = a[o];
                System.arraycopy(a, o + 1, buffer, 0, count);
                return count;
            }
        }
        int count = a[o];
        System.arraycopy(a, o + 1, buffer, 0, count);
        return count;
    }

    private float sim(float[] query, int item, int other) {
        return query != null ? space.query(query, other) : space.item(item, other);
    }

    private float sim(float[] query, int item, int other, Context c) {
        c.compared++;
        return sim(query, item, other);
    }

    /** Walks to ever better neighbours on one level until none is better. */
    private int greedy(float[] query, int item, int ep, int level, Context c) {
        float best = sim(query, item, ep, c);
        boolean moved = true;
        while (moved) {
            moved = false;
            int count = links(ep, level, c.buffer);
            c.touched += space.touch(c.buffer, count);
            for (int k = 0; k < count; k++) {
                int next = c.buffer[k];
                float s = sim(query, item, next, c);
                if (s > best) {
                    best = s;
                    ep = next;
                    moved = true;
                }
            }
        }
        return ep;
    }

    /** The beam search of one level: leaves the {@code ef} best items found in {@code c.results}. */
    private void search(float[] query, int item, int[] entries, int ef, int level, Context c) {
        search(query, item, entries, ef, level, null, c);
    }

    /**
     * The beam search of one level, keeping in {@code c.results} only the items {@code accept} takes ({@code null}:
     * all): the others are still walked through, as the graph's paths run through them, but do not take the
     * places of the results, so the search goes on until it has {@code ef} acceptable ones or runs out of better
     * candidates.
     */
    private void search(float[] query, int item, int[] entries, int ef, int level, IntPredicate accept, Context c) {
        c.nextVisit();
        Heap candidates = c.candidates;
        Heap results = c.results;
        candidates.clear();
        results.clear();
        if (item >= 0) {
            c.visit(item);
        }
        for (int ep : entries) {
            if (c.visit(ep)) {
                float s = sim(query, item, ep, c);
                candidates.push(-s, ep);
                if (accept == null || accept.test(ep)) {
                    results.push(s, ep);
                    if (results.size() > ef) {
                        results.pop();
                    }
                }
            }
        }
        while (candidates.size() > 0) {
            float best = -candidates.topKey();
            int current = candidates.topId();
            if (results.size() >= ef && best < results.topKey()) {
                break;
            }
            if (c.compared >= c.budget) {
                break;
            }
            candidates.pop();
            int count = links(current, level, c.buffer);
            // The neighbours not yet visited, marked, and their rows touched before any is compared: the loads
            // of a dozen rows then overlap, where one comparison after another would wait for each row in turn
            // (hnswlib prefetches them). The same comparisons in the same order as one loop would make.
            int fresh = 0;
            for (int k = 0; k < count; k++) {
                int next = c.buffer[k];
                if (c.visit(next)) {
                    c.buffer[fresh++] = next;
                }
            }
            c.touched += space.touch(c.buffer, fresh);
            if (level == 0 && candidates.size() > 0) {
                // The links of the candidate likely to be expanded next, loaded beside the rows.
                c.touched += links0[candidates.topId() * (m0 + 1)];
            }
            for (int k = 0; k < fresh; k++) {
                int next = c.buffer[k];
                float s = sim(query, item, next, c);
                if (results.size() < ef || s > results.topKey()) {
                    candidates.push(-s, next);
                    if (accept == null || accept.test(next)) {
                        results.push(s, next);
                        if (results.size() > ef) {
                            results.pop();
                        }
                    }
                }
            }
        }
    }

    /** Empties a results heap into arrays, best first. */
    private static void drain(Heap results, int[] ids, float[] sims) {
        for (int n = results.size() - 1; n >= 0; n--) {
            ids[n] = results.topId();
            sims[n] = results.topKey();
            results.pop();
        }
    }

    /**
     * Finds about the {@code n} items with the largest inner product with a query, among those {@code accept}
     * takes.
     *
     * @param query the query's factors ({@link MipsSpace#query})
     * @param n how many items
     * @param ef how many candidates the search keeps; raised to {@code n} if smaller
     * @param accept which items may be returned, or {@code null} for all
     * @return up to {@code n} items, best first by the graph's inner product
     */
    int[] search(float[] query, int n, int ef, IntPredicate accept) {
        if (space.size() == 0) {
            return new int[0];
        }
        Context c = contexts.get();
        c.compared = 0;
        c.budget = space.size() / BUDGET_FRACTION + MIN_BUDGET;
        int ep = entry;
        for (int l = maxLevel; l > 0; l--) {
            ep = greedy(query, -1, ep, l, c);
        }
        search(query, -1, new int[] {ep}, Math.max(ef, n), 0, accept, c);
        c.budget = Integer.MAX_VALUE;
        while (c.results.size() > n) {
            c.results.pop();
        }
        int[] ids = new int[c.results.size()];
        drain(c.results, ids, new float[ids.length]);
        return ids;
    }

    int m() {
        return m;
    }

    MipsSpace space() {
        return space;
    }

    /** How many items the calling thread's last search compared with its query. */
    int comparedInLastSearch() {
        return contexts.get().compared;
    }

    int[] levels() {
        return levels;
    }

    int[] links0() {
        return links0;
    }

    int[][] upper() {
        return upper;
    }

    int entry() {
        return entry;
    }

    int maxLevel() {
        return maxLevel;
    }

    /** One thread's scratch space: the visited marks and the two queues. */
    private static final class Context {

        /**
         * The visited marks: item {@code i} is visited in the current search when {@code marks[i] == mark}. A byte
         * each, so that a million items' marks take 1 MB of cache rather than 4; cleared every 255 searches.
         */
        final byte[] marks;
        byte mark;
        final Heap candidates = new Heap(256);
        final Heap results = new Heap(256);
        final int[] buffer;
        /** Comparisons with the query since the search began: the cost a benchmark reports. */
        int compared;
        /** The most comparisons a query's search may make ({@link #BUDGET_FRACTION}); unbounded while building. */
        int budget = Integer.MAX_VALUE;
        /** What {@link MipsSpace#touch} read: kept, so that the JIT does not drop the loads. */
        float touched;

        Context(int n, int m0) {
            marks = new byte[n];
            buffer = new int[m0];
        }

        void nextVisit() {
            if (++mark == 0) {
                Arrays.fill(marks, (byte) 0);
                mark = 1;
            }
        }

        /** Marks an item visited; false if it was already. */
        boolean visit(int item) {
            if (marks[item] == mark) {
                return false;
            }
            marks[item] = mark;
            return true;
        }
    }
}
