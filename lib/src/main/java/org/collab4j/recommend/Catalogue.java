package org.collab4j.recommend;

import org.collab4j.data.IdMap;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.Side;
import org.collab4j.util.Shown;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a served model knows, for users and items alike: its ids, which of them had training ratings (the trained
 * ones; the others have embeddings that were never trained), which are served from their features instead (the cold
 * ones: new items and users whose rows {@link FeatureRows} made), the known ones (trained or cold: what may be
 * recommended, scored and compared), how many ratings each had, each user's training items, and the titles results
 * carry. It resolves an original id to a row under the {@link UnknownIdPolicy}, words the
 * exception for an unknown one, and turns rows and scores back into {@link ScoredId}s. Immutable.
 */
final class Catalogue {

    /** Turns a raw score into the one a result shows (the y-range squash, the fallback's, or none). */
    interface Rescore {
        float apply(float raw);
    }

    private final UnknownIdPolicy policy;
    private final Titles titles;
    private final IdMap users;
    private final IdMap items;
    private final Csr rated;
    private final int[] itemCounts;
    private final boolean[] knownUsers;
    private final boolean[] knownItems;
    private final boolean[] trainedUsers;
    private final boolean[] trainedItems;
    private final int[] coldUsers;
    private final int[] coldItems;
    private final int catalogueSize;

    /**
     * @param itemCounts each item's training users, in place of the model's own (an {@link ItemSide} keeps the
     *     users it was cut from out, but their counts in), or {@code null}
     */
    Catalogue(TrainedModel model, int[] itemCounts, UnknownIdPolicy policy, Titles titles) {
        this(model, itemCounts, TopN.NONE, TopN.NONE, policy, titles);
    }

    /**
     * The catalogue of a served model ({@link FeatureRows.Served}): its cold rows, and an item side's counts padded
     * for the new items its features serve (they have no ratings).
     *
     * @param itemCounts each item's training users, or {@code null} (see above)
     */
    static Catalogue of(FeatureRows.Served served, int[] itemCounts, UnknownIdPolicy policy, Titles titles) {
        TrainedModel model = served.model();
        if (itemCounts != null && itemCounts.length < model.items().size()) {
            // An item side's counts, the item side given new items: they have no ratings.
            itemCounts = java.util.Arrays.copyOf(itemCounts, model.items().size());
        }
        return new Catalogue(model, itemCounts, served.coldUsers(), served.coldItems(), policy, titles);
    }

    /**
     * @param coldUsers the users served from their features (rows without training ratings), ascending
     * @param coldItems the items served from their features, ascending
     */
    Catalogue(TrainedModel model, int[] itemCounts, int[] coldUsers, int[] coldItems, UnknownIdPolicy policy,
            Titles titles) {
        this.policy = policy;
        this.titles = titles;
        users = model.users();
        items = model.items();
        rated = model.ratedItems();
        int[] counts = itemCounts;
        if (counts == null) {
            counts = new int[items.size()];
            for (int i : rated.columns()) {
                counts[i]++;
            }
        }
        this.itemCounts = counts;
        trainedUsers = new boolean[users.size()];
        for (int u = 0; u < trainedUsers.length; u++) {
            trainedUsers[u] = rated.end(u) > rated.start(u);
        }
        trainedItems = new boolean[items.size()];
        for (int i = 0; i < trainedItems.length; i++) {
            trainedItems[i] = counts[i] > 0;
        }
        this.coldUsers = coldUsers;
        this.coldItems = coldItems;
        knownUsers = withCold(trainedUsers, coldUsers);
        knownItems = withCold(trainedItems, coldItems);
        int known = 0;
        for (boolean k : knownItems) {
            known += k ? 1 : 0;
        }
        catalogueSize = known;
    }

    private static boolean[] withCold(boolean[] trained, int[] cold) {
        boolean[] known = trained.clone();
        for (int r : cold) {
            known[r] = true;
        }
        return known;
    }

    /** Which rows of a side had training ratings (shared: not to be changed): what fold-in priors are made of. */
    boolean[] trained(Side side) {
        return side == Side.USERS ? trainedUsers : trainedItems;
    }

    /** The rows of a side served from their features, ascending (shared: not to be changed). */
    int[] cold(Side side) {
        return side == Side.USERS ? coldUsers : coldItems;
    }

    /** Whether a known item, by original id, is served from its features ({@code false} for an unknown one). */
    boolean servesFromFeatures(String itemId) {
        int i = knownIndex(Side.ITEMS, requireId(itemId, "itemId"));
        return i >= 0 && isCold(Side.ITEMS, i);
    }

    /** Whether a row is served from its features. */
    boolean isCold(Side side, int row) {
        return known(side)[row] && !trained(side)[row];
    }

    UnknownIdPolicy policy() {
        return policy;
    }

    Titles titles() {
        return titles;
    }

    IdMap ids(Side side) {
        return side == Side.USERS ? users : items;
    }

    /** Each user's training items, ascending (the model's own matrix). */
    Csr rated() {
        return rated;
    }

    /** A copy of every item's number of training users. */
    int[] itemCounts() {
        return itemCounts.clone();
    }

    /** Which rows of a side are known: trained or cold (shared: not to be changed). */
    boolean[] known(Side side) {
        return side == Side.USERS ? knownUsers : knownItems;
    }

    boolean knows(Side side, int row) {
        return known(side)[row];
    }

    /** How many training ratings a row had: a user's items, an item's users. */
    int count(Side side, int row) {
        return side == Side.USERS ? rated.end(row) - rated.start(row) : itemCounts[row];
    }

    /** The number of known items: what coverage divides by. */
    int catalogueSize() {
        return catalogueSize;
    }

    /** The row of an id the model knows, else -1, whatever the policy. */
    int knownIndex(Side side, String id) {
        int row = ids(side).indexOf(id);
        return row >= 0 && knows(side, row) ? row : -1;
    }

    /** The row of a known id, or -1 when it is unknown and the policy allows that. */
    int index(Side side, String id, String argument) {
        int row = knownIndex(side, requireId(id, argument));
        if (row < 0 && policy == UnknownIdPolicy.THROW) {
            throw unknown(side, id, true, null);
        }
        return row;
    }

    /** The row of an id whose own factors a call needs (similar items or users): known, whatever the policy. */
    int requireKnown(Side side, String id, String argument) {
        int row = knownIndex(side, requireId(id, argument));
        if (row < 0) {
            throw unknown(side, id, false, null);
        }
        return row;
    }

    static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    static void requireList(List<String> ids, String argument) {
        if (ids == null) {
            throw new NullPointerException(argument + " is null; pass a list of original ids");
        }
    }

    /**
     * The known rows of a side among {@code [from, to)}, ascending.
     *
     * @throws IllegalArgumentException if the range is not within {@code [0, number of rows]}
     */
    int[] knownRows(Side side, int from, int to) {
        int rows = ids(side).size();
        if (from < 0 || to < from || to > rows) {
            throw new IllegalArgumentException("the " + side.noun() + " range [" + from + ", " + to + ") must lie"
                    + " within [0, " + rows + "]");
        }
        return IntStream.range(from, to).filter(r -> knows(side, r)).toArray();
    }

    /** The rows of ids, each known or -1 as the policy allows; {@code argument} names the list in messages. */
    int[] indices(Side side, List<String> ids, String argument) {
        int[] rows = new int[ids.size()];
        for (int n = 0; n < rows.length; n++) {
            rows[n] = index(side, ids.get(n), argument + ".get(" + n + ")");
        }
        return rows;
    }

    /** The rows of (user, item) pairs: {@code [0]} the users', {@code [1]} the items', each resolved in turn. */
    int[][] pairs(List<String> userIds, List<String> itemIds) {
        requireList(userIds, "userIds");
        requireList(itemIds, "itemIds");
        if (userIds.size() != itemIds.size()) {
            throw new IllegalArgumentException("predict needs as many user ids as item ids, got " + userIds.size()
                    + " and " + itemIds.size());
        }
        int[][] rows = new int[2][userIds.size()];
        for (int k = 0; k < rows[0].length; k++) {
            rows[0][k] = index(Side.USERS, userIds.get(k), "userIds.get(" + k + ")");
            rows[1][k] = index(Side.ITEMS, itemIds.get(k), "itemIds.get(" + k + ")");
        }
        return rows;
    }

    /** The known rows of some ids, in the order first given: unknown ids and nulls left out, repeats taken once. */
    int[] knownRows(Side side, Collection<String> ids) {
        LinkedHashSet<Integer> known = new LinkedHashSet<>();
        for (String id : ids) {
            int row = knownIndex(side, id);
            if (row >= 0) {
                known.add(row);
            }
        }
        return known.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Refuses a null id, naming the argument: a null is a caller's bug, not an unknown id. */
    static String requireId(String id, String argument) {
        if (id == null) {
            throw new NullPointerException(argument + " is null; pass an original id as in the ratings file");
        }
        return id;
    }

    /**
     * The exception for an unknown id. {@code fallbackHelps} is false where even {@link UnknownIdPolicy#FALLBACK}
     * needs the id's factors (similar items and users), so the message does not suggest it; {@code foldIn}, when
     * not null, is the advice for a method that takes a history: how to fold the id in, in the API's terms (the
     * CLI words its own advice from the exception's fields).
     */
    UnknownIdException unknown(Side side, String id, boolean fallbackHelps, String foldIn) {
        String kind = side.noun();
        IdMap map = ids(side);
        String why = map.indexOf(id) >= 0
                ? "it is in the model's id map but had no training ratings (it appears only in validation data),"
                        + " so its embedding was never trained"
                : "the model was trained on " + map.size() + " " + kind + "s and this one was not among them";
        String advice = foldIn != null
                ? foldIn + (fallbackHelps ? " UnknownIdPolicy.FALLBACK predicts from the global mean instead." : "")
                : fallbackHelps
                ? "Build the Recommender with UnknownIdPolicy.FALLBACK to predict from the global mean instead."
                : "Only " + kind + "s with training ratings have factors to compare; check the id (knows"
                        + (side == Side.USERS ? "User" : "Item") + " tells which ids the model has).";
        // A very long id is cut short in the message (UnknownIdException.id() keeps it whole).
        return new UnknownIdException(kind, id, why, fallbackHelps, "Unknown " + kind + " id '"
                + Shown.plain(id, 60) + "': " + why + ". " + advice);
    }

    /** A result: the row's id, the score, and for an item its title. */
    ScoredId scored(Side side, int row, float score) {
        String id = ids(side).id(row);
        return new ScoredId(id, score, side == Side.ITEMS ? titles.get(id) : null);
    }

    /** Results for ranked rows and their raw scores, each score shown through {@code rescore}. */
    List<ScoredId> scored(Side side, int[] rows, float[] raw, Rescore rescore) {
        List<ScoredId> result = new ArrayList<>(rows.length);
        for (int n = 0; n < rows.length; n++) {
            result.add(scored(side, rows[n], rescore.apply(raw[n])));
        }
        return result;
    }
}
