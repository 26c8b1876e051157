package org.collab4j.recommend;

import org.collab4j.ann.ApproximateIndex;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import org.collab4j.io.TrainedModel;

/**
 * A model's item side: its items (with those served from their features, {@link RecommenderBuilder#optItemFeatures},
 * and their rows), their factors and biases, how many training ratings each has, and the model's settings, without
 * the users' rows ({@link Recommender#itemSide()}). Shipped once to each JVM that scores
 * {@link UserRows}; its {@link #recommender()} recommends for them exactly as the whole model's
 * {@link Recommender} does. About {@code 4 · items · (factors + 1)} bytes plus the item ids, whatever the number
 * of users.
 *
 * <p>Its serial form carries the items through {@link TrainedModel}'s checked serial form, cut to the model's
 * first user (a model always has at least one), and the counts. Item titles stay behind: a recommender built
 * from a deserialized item side has none.
 */
public final class ItemSide implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final TrainedModel model;
    private final int[] itemCounts;
    private final UnknownIdPolicy policy;
    private final transient Titles titles;
    /** The approximate index's search candidates, or 0: exact top-N (the field a side serialized before lacks). */
    private final int approximateEf;
    /**
     * The items served from their features (cold start), ascending; their rows are in the model's table. Null in a
     * side serialized before cold start: none.
     */
    private final int[] coldItems;
    private transient volatile Recommender recommender;

    ItemSide(TrainedModel model, int[] itemCounts, int[] coldItems, UnknownIdPolicy policy, Titles titles) {
        this(model, itemCounts, coldItems, policy, titles, 0);
    }

    private ItemSide(TrainedModel model, int[] itemCounts, int[] coldItems, UnknownIdPolicy policy, Titles titles,
            int approximateEf) {
        this.model = model;
        this.itemCounts = itemCounts;
        this.coldItems = coldItems;
        this.policy = policy;
        this.titles = titles;
        this.approximateEf = approximateEf;
    }

    /**
     * Returns this item side serving top-N through an approximate index ({@link
     * RecommenderBuilder#optApproximateIndex}), which {@link #recommender()} builds from the items where it is first
     * called — once per JVM, e.g. once per Spark executor — rather than shipping it.
     *
     * @param ef how many candidates the index's search keeps, at least 1 (e.g.
     *     {@link ApproximateIndex#DEFAULT_EF_SEARCH})
     * @return the item side
     * @throws IllegalArgumentException if {@code ef} is below 1 or the model is not a dot model
     */
    public ItemSide withApproximateIndex(int ef) {
        if (ef < 1) {
            throw new IllegalArgumentException("ef must be at least 1, got " + ef);
        }
        if (model.getConfig().kind() == org.collab4j.model.BlockKind.EMBEDDING_NET) {
            ApproximateIndex.builder().build(model);
        }
        return new ItemSide(model, itemCounts, coldItems, policy, titles, ef);
    }

    /**
     * Returns the recommender over the item side, built on first use and then shared (it is thread-safe). Its
     * {@link Recommender#recommend(UserRows, int)} is the one to call; it knows the whole model's items, and
     * only the first of its users.
     *
     * @return the recommender
     */
    public Recommender recommender() {
        Recommender r = recommender;
        if (r == null) {
            synchronized (this) {
                r = recommender;
                if (r == null) {
                    r = Recommender.builder().setModel(model).optUnknownIdPolicy(policy)
                            .optTitles(titles == null ? Titles.NONE : titles).itemCounts(itemCounts).coldItems(coldItems)
                            .optApproximateIndex(approximateEf > 0 ? ApproximateIndex.builder()
                                    .optEfSearch(approximateEf).build(model) : null)
                            .build();
                    recommender = r;
                }
            }
        }
        return r;
    }

    /**
     * Returns how many items the side holds.
     *
     * @return the number of items, known or not
     */
    public int numItems() {
        return itemCounts.length;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (model == null || itemCounts == null || policy == null || approximateEf < 0
                || itemCounts.length != model.items().size()) {
            throw new InvalidObjectException("a serialized ItemSide whose counts do not match its items");
        }
        for (int count : itemCounts) {
            if (count < 0) {
                throw new InvalidObjectException("a serialized ItemSide with a negative item count");
            }
        }
        if (coldItems != null) {
            for (int k = 0; k < coldItems.length; k++) {
                if (coldItems[k] < 0 || coldItems[k] >= itemCounts.length || k > 0 && coldItems[k] <= coldItems[k - 1]
                        || itemCounts[coldItems[k]] != 0) {
                    throw new InvalidObjectException("a serialized ItemSide whose items served from features are"
                            + " out of range, out of order or have training ratings");
                }
            }
        }
    }
}
