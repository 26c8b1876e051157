package org.collab4j.recommend;

import org.collab4j.ann.ApproximateIndex;
import org.collab4j.data.IdMap;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.Side;
import org.collab4j.kernel.TopKSelection;
import org.collab4j.util.Shown;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The one top-N path of the {@link Recommender}: every list of items it returns — one user (a batch of one), many
 * users, every user, user rows cut for another JVM, a user given with a history, a request with options, the lists
 * ranking evaluation scores — comes from {@link #select}, each {@link Target}'s scores offered to the kernel's
 * {@link TopKSelection}. And the same for users, the other way round ({@link #users}).
 *
 * <p>Many targets are scored a tile of items at a time ({@link Scorer#tile}): every target against one tile before
 * the next, so the item table is read from memory once per call rather than once per target. A target's scores and
 * what it keeps do not depend on the tiles, so its list is the one it gets alone, bit for bit.
 */
final class TopN {

    static final int[] NONE = new int[0];

    /**
     * Whom a list is for — a user of the model ({@code user >= 0}), a row from elsewhere ({@code row}: folded in,
     * or cut from the model), or neither (FALLBACK's ranking) — and what it leaves out: the items
     * {@code excluded[from .. to)} (ascending) and those {@code allowed} refuses (may be {@code null}). Items
     * without training ratings are never listed.
     */
    record Target(int user, float[] row, int[] excluded, int from, int to, IntPredicate allowed) {

        /** A user of the model (or -1: FALLBACK), their training items left out. */
        static Target user(int user, Csr rated) {
            return user >= 0 ? new Target(user, null, rated.columns(), rated.start(user), rated.end(user), null)
                    : new Target(-1, null, NONE, 0, 0, null);
        }

        /** A user of the model (or -1) or a row from elsewhere, leaving out {@code excluded} (ascending). */
        static Target of(int user, float[] row, int[] excluded) {
            return new Target(user, row, excluded, 0, excluded.length, null);
        }

        /**
         * One target per user row cut from a model for another JVM, each leaving out its own training items.
         *
         * @throws IllegalArgumentException if the rows do not fit the model (another row width or item count)
         */
        static List<Target> of(UserRows rows, Scorer scorer, Catalogue catalogue) {
            int items = catalogue.ids(Side.ITEMS).size();
            if (rows.width() != scorer.rowWidth() || rows.numItems() != items) {
                throw new IllegalArgumentException("the user rows hold " + rows.width() + " values per user for a"
                        + " model of " + rows.numItems() + " items, but this model takes " + scorer.rowWidth()
                        + " for " + items + " items: score rows with the item side of the model they were cut from");
            }
            Csr excluded = rows.excluded();
            List<Target> targets = new ArrayList<>(rows.size());
            for (int n = 0; n < rows.size(); n++) {
                targets.add(new Target(-1, rows.row(n), excluded.columns(), excluded.start(n), excluded.end(n),
                        null));
            }
            return targets;
        }

        /** A user of the model (or -1) with a request's {@link RecommendOptions}. */
        static Target of(int user, RecommendOptions options, Catalogue catalogue) {
            Target t = options.excludesTrainingItems() ? user(user, catalogue.rated()) : of(user, null, NONE);
            return new Target(t.user, null, t.excluded, t.from, t.to, TopN.allowed(options, catalogue.ids(Side.ITEMS)));
        }

        /** Whether the model scores it (else FALLBACK does). */
        boolean modelled() {
            return user >= 0 || row != null;
        }
    }

    /**
     * What a request's {@link RecommendOptions} let through, besides the user's training items: the candidates (if
     * any), not the excluded items, and what the filter accepts.
     *
     * @throws IllegalArgumentException if there are candidates and the model knows none of them
     */
    static IntPredicate allowed(RecommendOptions options, IdMap items) {
        boolean[] allowed = new boolean[items.size()];
        if (options.candidates() != null) {
            int known = 0;
            for (String id : options.candidates()) {
                int i = items.indexOf(id);
                if (i >= 0) {
                    allowed[i] = true;
                    known++;
                }
            }
            if (known == 0) {
                throw new IllegalArgumentException("none of the " + options.candidates().size() + " candidate items"
                        + " (e.g. " + Shown.quoted(options.candidates().iterator().next()) + ") is known to the"
                        + " model: pass ids as in its training data");
            }
        } else {
            Arrays.fill(allowed, true);
        }
        for (String id : options.exclude()) {
            int i = items.indexOf(id);
            if (i >= 0) {
                allowed[i] = false;
            }
        }
        Predicate<String> filter = options.filter();
        return filter == null ? i -> allowed[i] : i -> allowed[i] && filter.test(items.id(i));
    }

    /** A target's best items, best first, with their raw scores. */
    record Ranked(int[] rows, float[] raw, boolean modelled) {}

    private final Scorer scorer;
    private final Predictor predictor;
    private final Catalogue catalogue;
    /** The approximate path, or {@code null}: every list exact. */
    private final ApproximateTopN approximate;

    /**
     * @param index the approximate index, or {@code null}
     * @param servedByIndex whether the index was built over the served model's item table (see
     *     {@link ApproximateTopN})
     */
    TopN(Scorer scorer, Predictor predictor, Catalogue catalogue, ApproximateIndex index, boolean servedByIndex) {
        this.scorer = scorer;
        this.predictor = predictor;
        this.catalogue = catalogue;
        this.approximate = index == null ? null : new ApproximateTopN(index, scorer, catalogue, servedByIndex);
    }

    /**
     * Each target's top {@code k} known items: through the approximate index where the recommender has one and it
     * answers ({@link ApproximateTopN}), else by scoring every item.
     */
    List<Ranked> select(List<Target> targets, int k) {
        Ranked[] ranked = new Ranked[targets.size()];
        List<Integer> exact = new ArrayList<>(ranked.length);
        for (int t = 0; t < ranked.length; t++) {
            ranked[t] = approximate == null ? null : approximate.select(targets.get(t), k);
            if (ranked[t] == null) {
                exact.add(t);
            }
        }
        if (!exact.isEmpty()) {
            List<Ranked> scored = selectExact(exact.stream().map(targets::get).toList(), k);
            for (int e = 0; e < scored.size(); e++) {
                ranked[exact.get(e)] = scored.get(e);
            }
        }
        return Arrays.asList(ranked);
    }

    /** Each target's top {@code k} known items, every item scored. */
    private List<Ranked> selectExact(List<Target> targets, int k) {
        int n = catalogue.ids(Side.ITEMS).size();
        boolean[] known = catalogue.known(Side.ITEMS);
        float[] raw = new float[n];
        TopKSelection[] selections = new TopKSelection[targets.size()];
        for (int t = 0; t < selections.length; t++) {
            Target target = targets.get(t);
            selections[t] = new TopKSelection(k, n, target.excluded(), target.from(), target.to(), known,
                    target.allowed());
        }
        int tile = selections.length > 1 ? scorer.tile() : n;
        for (int from = 0; from < n; from += tile) {
            int to = (int) Math.min(n, (long) from + tile);
            for (int t = 0; t < selections.length; t++) {
                score(targets.get(t), from, to, raw);
                selections[t].offer(raw, from, to);
            }
        }
        List<Ranked> result = new ArrayList<>(selections.length);
        for (int t = 0; t < selections.length; t++) {
            float[] scores = new float[selections[t].size()];
            int[] best = selections[t].sorted(scores);
            result.add(new Ranked(best, scores, targets.get(t).modelled()));
        }
        return result;
    }

    /** Top-k for users of the model (-1: unknown, allowed by the policy): a single user is a batch of one. */
    List<List<ScoredId>> recommend(int[] users, int k) {
        List<Target> targets = new ArrayList<>(users.length);
        for (int u : users) {
            targets.add(Target.user(u, catalogue.rated()));
        }
        return recommend(targets, k);
    }

    /** Each target's top {@code k} known items as results, scored with the predicted rating. */
    List<List<ScoredId>> recommend(List<Target> targets, int k) {
        List<List<ScoredId>> result = new ArrayList<>(targets.size());
        for (Ranked r : select(targets, k)) {
            result.add(catalogue.scored(Side.ITEMS, r.rows(), r.raw(), raw -> predictor.shown(r.modelled(), raw)));
        }
        return result;
    }

    /** Recommends for every known user, in batches, in row order ({@link #inBatches}). */
    void recommendAll(int k, int batchSize, Consumer<List<UserRecommendations>> sink) {
        int[] known = catalogue.knownRows(Side.USERS, 0, catalogue.ids(Side.USERS).size());
        inBatches(known.length, n -> catalogue.ids(Side.USERS).id(known[n]),
                n -> Target.user(known[n], catalogue.rated()), k, batchSize, sink);
    }

    /**
     * Recommends for {@code count} users in batches of {@code batchSize}, in order, on the calling thread: memory
     * holds one batch of targets and results at a time. A user whose target is {@code null} is skipped; a target
     * that throws stops the walk there, after the batches before it.
     */
    void inBatches(int count, IntFunction<String> idOf, IntFunction<Target> targetOf, int k, int batchSize,
            Consumer<List<UserRecommendations>> sink) {
        // No batch can hold more users than there are: a huge batch size must not allocate for them.
        int size = Math.min(batchSize, Math.max(1, count));
        List<Target> targets = new ArrayList<>(size);
        List<String> ids = new ArrayList<>(size);
        for (int u = 0; u <= count; u++) {
            Target target = u < count ? targetOf.apply(u) : null;
            if (target != null) {
                targets.add(target);
                ids.add(idOf.apply(u));
            }
            if (!targets.isEmpty() && (targets.size() == size || u == count)) {
                sink.accept(named(ids, recommend(targets, k)));
                targets = new ArrayList<>(size);
                ids = new ArrayList<>(size);
            }
        }
    }

    /** Pairs each user id with its list. */
    static List<UserRecommendations> named(List<String> ids, List<List<ScoredId>> lists) {
        List<UserRecommendations> result = new ArrayList<>(ids.size());
        for (int n = 0; n < ids.size(); n++) {
            result.add(new UserRecommendations(ids.get(n), lists.get(n)));
        }
        return result;
    }

    /** The top {@code k} users of each item by original id: none for an unknown item the policy allows. */
    List<ItemRecommendations> users(List<String> itemIds, int k) {
        List<ItemRecommendations> result = new ArrayList<>(itemIds.size());
        for (String itemId : itemIds) {
            int i = catalogue.index(Side.ITEMS, itemId, "itemId");
            result.add(new ItemRecommendations(itemId, i >= 0 ? users(i, k) : List.of()));
        }
        return result;
    }

    /** The top {@code k} known users for a known item, leaving out those who rated it in training. */
    List<ScoredId> users(int item, int k) {
        int n = catalogue.ids(Side.USERS).size();
        float[] raw = new float[n];
        scorer.rawUsers(item, 0, n, raw);
        Csr rated = catalogue.rated();
        TopKSelection selection = new TopKSelection(k, n, null, 0, 0, catalogue.known(Side.USERS),
                u -> !rated.contains(u, item));
        selection.offer(raw, 0, n);
        float[] scores = new float[selection.size()];
        int[] best = selection.sorted(scores);
        return catalogue.scored(Side.USERS, best, scores, s -> predictor.shown(true, s));
    }

    private void score(Target t, int from, int to, float[] raw) {
        if (t.row() != null) {
            scorer.rawRangeFolded(t.row(), from, to, raw);
        } else if (t.user() >= 0) {
            scorer.rawRange(t.user(), from, to, raw);
        } else {
            for (int i = from; i < to; i++) {
                raw[i] = predictor.fallbackRaw(-1, i);
            }
        }
    }
}
