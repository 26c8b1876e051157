package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Dependencies point one way: the saved model ({@code io}), serving ({@code recommend}) and its approximate index
 * ({@code ann}, which serving uses, not the other way round) never refer to the training code or the engine, and the kernel refers to nothing outside the JDK. Read from the compiled classes'
 * constant pools, where every referenced class is named, imports or not.
 */
class PackageDependencyTest {

    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "io", List.of("org/collab4j/train/", "org/collab4j/engine/"),
            "recommend", List.of("org/collab4j/train/", "org/collab4j/engine/"),
            "ann", List.of("org/collab4j/train/", "org/collab4j/engine/", "org/collab4j/recommend/", "ai/djl/"),
            "kernel", List.of("org/collab4j/train/", "org/collab4j/engine/", "org/collab4j/io/", "ai/djl/",
                    "org/collab4j/data/", "org/collab4j/model/", "org/collab4j/recommend/", "org/collab4j/util/",
                    "org/collab4j/plot/"));

    @Test
    void servingCodeDependsOnNeitherTrainingNorTheEngine() throws IOException, URISyntaxException {
        Path classes = Path.of(org.collab4j.kernel.Kernel.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).resolve("org/collab4j");
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
            try (Stream<Path> files = Files.list(classes.resolve(rule.getKey()))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String pool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    for (String forbidden : rule.getValue()) {
                        if (pool.contains(forbidden)) {
                            found.add(rule.getKey() + "/" + file.getFileName() + " refers to " + forbidden);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
