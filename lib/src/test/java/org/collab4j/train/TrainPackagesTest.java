package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training packages stay acyclic: the learner ({@code org.collab4j.train}) uses its sub-packages, never the
 * other way. Objectives know no engine; the engines ({@code step}) know objectives and optimizers but not the ALS
 * engine nor the learner; the ALS engine ({@code als}) knows the step machinery and objectives. Read from the
 * compiled classes' constant pools, where every referenced class is named.
 */
class TrainPackagesTest {

    /** For each sub-package, the packages under {@code org/collab4j/train} its classes may refer to. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "objective", List.of("objective"),
            "step", List.of("step", "objective", "optimizer"),
            "als", List.of("als", "step", "objective"),
            "tune", List.of("tune"),
            "ease", List.of("ease", "objective"));

    private static final Pattern TRAIN_CLASS = Pattern.compile("org/collab4j/train/([A-Za-z0-9_$/]+)");

    @Test
    void subPackagesDoNotReferToTheLearnerOrEachOtherBackwards() throws IOException, URISyntaxException {
        Path train = Path.of(CollabLearner.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/collab4j/train");
        List<String> found = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<String>> rule : ALLOWED.entrySet()) {
            try (Stream<Path> files = Files.list(train.resolve(rule.getKey()))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    checked++;
                    String pool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    Matcher m = TRAIN_CLASS.matcher(pool);
                    while (m.find()) {
                        String name = m.group(1);
                        int slash = name.indexOf('/');
                        String pkg = slash < 0 ? "(org.collab4j.train)" : name.substring(0, slash);
                        if (!rule.getValue().contains(pkg)) {
                            found.add(rule.getKey() + "/" + file.getFileName() + " refers to org/collab4j/train/"
                                    + name);
                        }
                    }
                }
            }
        }
        assertTrue(checked > 20, "found the classes: " + checked);
        assertEquals(List.of(), found);
    }
}
