package org.collab4j.train.objective;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The objectives by name: what {@link Objective#parse} and the CLI's {@code --loss} look up. A new loss is its class
 * and one {@link #register} call (the built-in ones are registered below, in the order {@link #names()} lists
 * them).
 *
 * <p>Thread-safe: registering and parsing may happen from any thread.
 */
public final class Objectives {

    private static final Map<String, Supplier<? extends Objective>> REGISTRY = new LinkedHashMap<>();

    static {
        // Each name is also in TrainedModel.KNOWN_OBJECTIVES (io cannot depend on train), the objectives a model
        // file may hold: a new built-in loss registers its name there too (ObjectiveNamesTest checks it).
        register("mse", Objective::mse);
        register("ials", Objective::ials);
        register("bpr", Objective::bpr);
        register("softmax", Objective::softmax);
        register("warp", Objective::warp);
        register("ease", () -> Ease.DEFAULT);
    }

    private Objectives() {}

    /**
     * Makes an objective known by a name, with the settings {@code factory} gives it.
     *
     * @param name the name, as {@code --loss} takes it: lower case, letters, digits and {@code -}
     * @param factory makes the objective with its defaults; its {@link Objective#name()} must be {@code name}
     * @throws IllegalArgumentException if the name is malformed or taken
     */
    public static void register(String name, Supplier<? extends Objective> factory) {
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("an objective's name is lower case letters, digits and '-', got "
                    + name);
        }
        if (factory == null) {
            throw new NullPointerException("factory");
        }
        synchronized (REGISTRY) {
            if (REGISTRY.putIfAbsent(name, factory) != null) {
                throw new IllegalArgumentException("an objective named '" + name + "' is already registered");
            }
        }
    }

    /**
     * Returns the objective registered under a name, with its defaults.
     *
     * @param name the name, any case
     * @return a new objective (or a shared immutable one)
     * @throws IllegalArgumentException if no objective has that name, listing the names there are
     */
    public static Objective parse(String name) {
        Supplier<? extends Objective> factory;
        synchronized (REGISTRY) {
            factory = name == null ? null : REGISTRY.get(name.toLowerCase(Locale.ROOT));
        }
        if (factory == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "': use " + String.join(", ", names()));
        }
        return factory.get();
    }

    /**
     * Returns the registered names, the built-in ones first.
     *
     * @return the names, in registration order
     */
    public static List<String> names() {
        synchronized (REGISTRY) {
            return List.copyOf(new ArrayList<>(REGISTRY.keySet()));
        }
    }

    /**
     * Returns the registered names of ranking objectives (what {@code train --implicit --loss} takes).
     *
     * @return the names, in registration order
     */
    public static List<String> rankingNames() {
        List<String> ranking = new ArrayList<>();
        for (String name : names()) {
            if (parse(name).isRanking()) {
                ranking.add(name);
            }
        }
        return List.copyOf(ranking);
    }
}
