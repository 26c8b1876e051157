/**
 * The command-line options both Collab4J command lines share, as picocli mixins: each option is declared, given
 * its default and checked here once, and the examples' {@code collab4j-examples.jar} and the Spark app's
 * {@code collab4j-spark-app.jar} mix the same classes into their commands, so the same arguments parse to the same
 * values in both.
 *
 * <ul>
 *   <li>{@link org.collab4j.cli.TrainingOptions}: the model and how to train it ({@code --block} with
 *       {@code --model} as its older name, {@code --factors}, {@code --y-range}, {@code --dropout},
 *       {@code --epochs}, {@code --optimizer}, {@code --schedule}, {@code --lr}, {@code --wd}, {@code --bs},
 *       {@code --seed}, ...), and the learner they make;
 *   <li>{@link org.collab4j.cli.TrainDataOptions}: how a train command reads and splits its data
 *       ({@code --duplicates}, {@code --strict-range} as {@link org.collab4j.data.ReadOptions}, and
 *       {@code --valid-fraction});
 *   <li>{@link org.collab4j.cli.RatingsFileOptions}: a delimited file's layout ({@code --format}, {@code --sep},
 *       {@code --no-header}) as a {@link org.collab4j.data.RatingsFormat};
 *   <li>{@link org.collab4j.cli.FeatureOptions}: side features ({@code --item-features}, {@code --user-features},
 *       their column options and {@code --feature-min-count}) read into one
 *       {@link org.collab4j.data.FeatureTable} per side; MovieLens's files need no column option;
 *   <li>{@link org.collab4j.cli.TuneOptions}: {@code --tune} and {@code --tune-budget DURATION} (the examples'
 *       {@code train} only, for now);
 *   <li>{@link org.collab4j.cli.RunFiles}: a run's input and output files, checked together before any work (no
 *       output is an input or another output; pipes are checked without being read), with
 *       {@link org.collab4j.cli.CliException} for the one-line error.
 * </ul>
 *
 * <p>A module of its own so that the Spark app shares them without depending on the examples application. Errors
 * are {@link java.lang.IllegalArgumentException}s that name the option; both command lines print them as
 * {@code error: ...} with exit status 2.
 */
package org.collab4j.cli;
