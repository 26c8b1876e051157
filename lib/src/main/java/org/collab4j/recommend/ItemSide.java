package org.collab4j.recommend;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import org.collab4j.io.TrainedModel;

/**
 * A model's item side: its items, their factors and biases, how many training ratings each has, and the model's
 * settings, without the users' rows ({@link Recommender#itemSide()}). Shipped once to each JVM that scores
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
    private transient volatile Recommender recommender;

    ItemSide(TrainedModel model, int[] itemCounts, UnknownIdPolicy policy, Titles titles) {
        this.model = model;
        this.itemCounts = itemCounts;
        this.policy = policy;
        this.titles = titles;
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
                            .optTitles(titles == null ? Titles.NONE : titles).itemCounts(itemCounts).build();
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
        if (model == null || itemCounts == null || policy == null
                || itemCounts.length != model.items().size()) {
            throw new InvalidObjectException("a serialized ItemSide whose counts do not match its items");
        }
        for (int count : itemCounts) {
            if (count < 0) {
                throw new InvalidObjectException("a serialized ItemSide with a negative item count");
            }
        }
    }
}
