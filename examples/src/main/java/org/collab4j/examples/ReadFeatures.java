package org.collab4j.examples;

import org.collab4j.cli.CliException;
import org.collab4j.cli.FeatureOptions;
import org.collab4j.cli.RunFiles;
import org.collab4j.data.FeatureFormat;
import org.collab4j.data.FeatureTable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code read-features}: reads feature files as {@code train --item-features} does and prints each side's ids, its
 * vocabulary by feature name (how many values each column keeps, pooled values included) and the read time; with
 * {@code --repeat} the files are read again in the same JVM (warm).
 */
@Command(name = "read-features", mixinStandardHelpOptions = true,
        description = "Read item and user feature files and print their ids, features per column and read time.")
final class ReadFeatures implements Callable<Integer> {

    @Mixin
    FeatureOptions features;

    @Option(names = "--repeat", description = "reads to time (default: ${DEFAULT-VALUE})")
    int repeat = 1;

    @Override
    public Integer call() {
        if (repeat < 1) {
            throw new CliException("--repeat must be at least 1, got " + repeat);
        }
        if (features.itemFiles.isEmpty() && features.userFiles.isEmpty()) {
            throw new CliException("give --item-features FILE or --user-features FILE (MovieLens's movies.csv,"
                    + " tags.csv, u.item, u.user, or any file with --item-feature-columns)");
        }
        for (Path file : concat(features.itemFiles, features.userFiles)) {
            if (repeat > 1 && !Files.isRegularFile(file)) {
                throw new CliException("--repeat " + repeat + " reads " + file + " " + repeat + " times, and a pipe"
                        + " can be read once: give a regular file, or leave --repeat out");
            }
        }
        features.validate();
        features.addTo(new RunFiles()).check();
        for (int run = 1; run <= repeat; run++) {
            // A fresh mixin each run: FeatureOptions reads its files once and keeps the tables.
            FeatureOptions fresh = copy(features);
            long t0 = System.nanoTime();
            Optional<FeatureTable> items = fresh.itemFeatures();
            long t1 = System.nanoTime();
            Optional<FeatureTable> users = fresh.userFeatures();
            long t2 = System.nanoTime();
            items.ifPresent(table -> print("items", table, (t1 - t0) / 1e9));
            users.ifPresent(table -> print("users", table, (t2 - t1) / 1e9));
        }
        return 0;
    }

    private static void print(String side, FeatureTable table, double seconds) {
        Map<String, int[]> byName = new LinkedHashMap<>();
        for (String feature : table.featureNames()) {
            int eq = feature.indexOf('=');
            String name = eq < 0 ? feature : feature.substring(0, eq);
            int[] counts = byName.computeIfAbsent(name, n -> new int[2]);
            counts[0]++;
            if (feature.endsWith("=" + FeatureFormat.OTHER) || feature.endsWith("=" + FeatureFormat.MISSING)) {
                counts[1]++;
            }
        }
        StringBuilder columns = new StringBuilder();
        for (Map.Entry<String, int[]> e : byName.entrySet()) {
            columns.append(columns.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()[0]);
            if (e.getValue()[1] > 0) {
                columns.append(" (incl. ").append(e.getValue()[1]).append(" pooled/missing)");
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d ids x %d features (%s), %d entries, read in %.3f s%n", side,
                table.ids().size(), table.featureNames().size(), columns, table.matrix().size(), seconds);
    }

    private static FeatureOptions copy(FeatureOptions options) {
        FeatureOptions copy = new FeatureOptions();
        copy.itemFiles = options.itemFiles;
        copy.userFiles = options.userFiles;
        copy.itemColumns = options.itemColumns;
        copy.userColumns = options.userColumns;
        copy.minCount = options.minCount;
        return copy;
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
