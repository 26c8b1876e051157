package org.collab4j.consumercheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A new user's path, end to end: a Maven project outside this build that declares only README.md's dependency
 * block and whose main class is README.md's Java snippet, built offline against the artifacts this build made and
 * installed (parent pom, BOM, lib with sources and Javadoc), then run on small generated ratings. Once per way of
 * choosing the natives the README documents.
 */
class ReadmeConsumerTest {

    private static final String COLLAB4J = "org/collab4j/collab4j/";
    private static final String CU118_JAR = "pytorch-native-cu118-";
    private static final String CPU_JAR = "pytorch-native-cpu-";
    /** Disabled, not failed, in a -DcpuOnly build: it never downloads the cu118 jar these consumers need. */
    private static final String NO_CU118 = "-DcpuOnly build: the cu118 jar was never downloaded";
    private static final Pattern EVALUATION =
            Pattern.compile("^RMSE (\\d+\\.\\d+) MAE (\\d+\\.\\d+)", Pattern.MULTILINE);

    /** Kept when a check fails, to look at the consumer's pom, Main.java and logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path consumers;

    private static ConsumerProject.Settings settings;
    private static Readme readme;
    private static String version;
    /** Built once, shared by the default-natives run and the BOM comparison. */
    private static ConsumerProject defaultProject;
    private static List<Path> defaultClasspath;

    @BeforeAll
    static void installedRepository() throws IOException {
        Path repo = Path.of(property("consumer.repo"));
        settings = new ConsumerProject.Settings(repo, Path.of(property("consumer.mavenHome")),
                Path.of(property("consumer.projectRoot")).normalize());
        version = property("consumer.version");
        readme = Readme.read(settings.projectRoot().resolve("README.md"));
        ConsumerProject.linkThirdPartyArtifacts(repo, Path.of(property("consumer.outerRepo")));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run this test through Maven"
                    + " (mvn -B verify), whose consumer-check pom passes it");
        }
        return value;
    }

    @Test
    void installedJarComesWithPomSourcesAndJavadoc() {
        String base = COLLAB4J + version + "/collab4j-" + version;
        for (String file : List.of(".pom", ".jar", "-sources.jar", "-javadoc.jar")) {
            assertTrue(Files.isRegularFile(settings.repo().resolve(base + file)), base + file + " not installed");
        }
        assertTrue(Files.isRegularFile(settings.repo().resolve(
                "org/collab4j/collab4j-parent/" + version + "/collab4j-parent-" + version + ".pom")));
        assertTrue(Files.isRegularFile(settings.repo().resolve(
                "org/collab4j/collab4j-bom/" + version + "/collab4j-bom-" + version + ".pom")));
    }

    @Test
    void readmeDependencyBlocksNameThisVersion() {
        for (String block : List.of(defaultBlock(), cpuOnlyBlock(), bomBlock())) {
            assertTrue(block.contains("<version>" + version + "</version>"),
                    "README.md's dependency blocks should name version " + version + ":\n" + block);
        }
    }

    /** The plain dependency: both native flavours, cu118 first so that DJL prefers it where CUDA works. */
    @Test
    @DisabledIfSystemProperty(named = "consumer.cpuOnly", matches = "true", disabledReason = NO_CU118)
    void defaultNativesTrainWithTheReadmeSnippet() throws Exception {
        List<Path> classpath = defaultClasspath();
        int cu118 = indexOf(classpath, CU118_JAR);
        int cpu = indexOf(classpath, CPU_JAR);
        assertTrue(cu118 >= 0 && cpu >= 0, "both native jars on the classpath: " + classpath);
        assertTrue(cu118 < cpu, "cu118 before cpu on the classpath: " + classpath);
        checkOutput(defaultProject, defaultProject.run(classpath));
    }

    /**
     * This build's {@code -DcpuOnly} switch stays in this build: a consumer that happens to set a property of the
     * same name keeps both natives (lib's cpu-only profile also needs lib's own basedir).
     */
    @Test
    @DisabledIfSystemProperty(named = "consumer.cpuOnly", matches = "true", disabledReason = NO_CU118)
    void consumersCpuOnlyPropertyLeavesTheirNativesAlone() throws Exception {
        List<Path> classpath = defaultClasspath();
        assertEquals(fileNames(classpath), fileNames(defaultProject.compile("-DcpuOnly")));
    }

    /** The README's exclusion: the CPU natives only, no 1.6 GB jar. */
    @Test
    void cpuOnlyExclusionTrainsWithTheReadmeSnippet() throws Exception {
        ConsumerProject project = ConsumerProject.create(consumers.resolve("cpu-only"), settings,
                ConsumerProject.dependencies(cpuOnlyBlock()), readme.javaSnippet());
        writeRatings(project.dir());
        List<Path> classpath = project.compile();
        assertEquals(-1, indexOf(classpath, CU118_JAR), "no cu118 jar: " + classpath);
        assertTrue(indexOf(classpath, CPU_JAR) >= 0, "the cpu jar: " + classpath);
        checkOutput(project, project.run(classpath));
    }

    /**
     * An application whose SLF4J backend is logback (SLF4J 2), declared after Collab4J as a user adds it: the
     * classpath gets one SLF4J 2 API, and Collab4J's device line arrives through logback's pattern. With Collab4J
     * on SLF4J 1.7 this consumer got slf4j-api 1.7 (Maven's first-declared wins at equal depth), which finds no
     * binding in logback 1.3+, and the line silently went to the NOP logger. The output also holds no native
     * {@code [W ...]} line.
     */
    @Test
    void logbackApplicationGetsTheDeviceLine() throws Exception {
        String logback = """
                <dependency>
                  <groupId>ch.qos.logback</groupId>
                  <artifactId>logback-classic</artifactId>
                  <version>%s</version>
                </dependency>
                """.formatted(property("consumer.logbackVersion"));
        ConsumerProject project = ConsumerProject.create(consumers.resolve("logback"), settings,
                ConsumerProject.dependencies(cpuOnlyBlock(), logback), readme.javaSnippet());
        project.addResource("logback.xml", """
                <configuration>
                  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder>
                      <pattern>logback %level %logger - %msg%n</pattern>
                    </encoder>
                  </appender>
                  <logger name="ai.djl" level="WARN"/>
                  <root level="INFO">
                    <appender-ref ref="CONSOLE"/>
                  </root>
                </configuration>
                """);
        writeRatings(project.dir());
        List<Path> classpath = project.compile();
        List<String> slf4j = fileNames(classpath).stream().filter(n -> n.startsWith("slf4j-api-")).toList();
        assertEquals(1, slf4j.size(), "one slf4j-api: " + classpath);
        assertTrue(slf4j.get(0).startsWith("slf4j-api-2."), "SLF4J 2, which logback 1.5 serves: " + classpath);
        assertTrue(indexOf(classpath, "logback-classic-") >= 0, "logback: " + classpath);
        String output = project.run(classpath);
        String where = " (consumer project kept in " + project.dir() + ") in:\n" + output;
        assertTrue(Pattern.compile("^logback INFO org\\.collab4j\\.engine\\.Engines - Collab4J trains on (cpu|gpu)",
                Pattern.MULTILINE).matcher(output).find(), "Collab4J's device line through logback" + where);
        assertFalse(output.contains("NOP"), "no SLF4J fallback to the no-operation logger" + where);
        assertFalse(output.lines().anyMatch(l -> l.startsWith("[W ")), "no native warning" + where);
        checkOutput(project, output);
    }

    /** Importing the BOM and declaring collab4j without a version gives exactly the default classpath. */
    @Test
    @DisabledIfSystemProperty(named = "consumer.cpuOnly", matches = "true", disabledReason = NO_CU118)
    void bomImportGivesTheDefaultClasspath() throws Exception {
        ConsumerProject project = ConsumerProject.create(consumers.resolve("bom"), settings, bomBlock(),
                readme.javaSnippet());
        assertEquals(fileNames(defaultClasspath()), fileNames(project.compile()));
    }

    private static String defaultBlock() {
        return readme.xmlBlock("the default dependency (no exclusions)",
                b -> b.contains("<artifactId>collab4j</artifactId>") && !b.contains("<exclusions>")
                        && !b.contains("<dependencyManagement>"));
    }

    private static String cpuOnlyBlock() {
        return readme.xmlBlock("CPU only (excluding pytorch-native-cu118)",
                b -> b.contains("<exclusions>") && b.contains("<artifactId>pytorch-native-cu118</artifactId>"));
    }

    private static String bomBlock() {
        return readme.xmlBlock("the BOM import", b -> b.contains("<artifactId>collab4j-bom</artifactId>"));
    }

    private static synchronized List<Path> defaultClasspath() throws Exception {
        if (defaultClasspath == null) {
            ConsumerProject project = ConsumerProject.create(consumers.resolve("default"), settings,
                    ConsumerProject.dependencies(defaultBlock()), readme.javaSnippet());
            writeRatings(project.dir());
            defaultClasspath = project.compile();
            defaultProject = project;
        }
        return defaultClasspath;
    }

    /** The epoch table, then the snippet's lines: the evaluation, one predicted rating, three recommendations. */
    private static void checkOutput(ConsumerProject project, String output) {
        String where = " (consumer project kept in " + project.dir() + ")";
        Matcher evaluation = EVALUATION.matcher(output);
        assertTrue(evaluation.find(), "an 'RMSE ... MAE ...' line" + where + " in:\n" + output);
        double rmse = Double.parseDouble(evaluation.group(1));
        // Ratings from two hidden factors plus noise of 0.4 stars: about 1.1 from the global mean alone, about
        // 0.8 after the snippet's five epochs.
        assertTrue(rmse > 0 && rmse < 1.5, "RMSE " + rmse + where + " in:\n" + output);
        List<String> lines = output.strip().lines().toList();
        String top = lines.get(lines.size() - 1).strip();
        assertTrue(top.startsWith("[ScoredId[id=") && top.split("ScoredId\\[id=", -1).length == 4,
                "three recommendations last" + where + ", got: " + top);
        String last = lines.get(lines.size() - 2).strip();
        assertTrue(last.matches("-?\\d+(\\.\\d+)?([eE]-?\\d+)?"), "a predicted rating before them" + where + ", got: " + last);
        float stars = Float.parseFloat(last);
        assertTrue(stars > 0f && stars < 5.5f, "a prediction inside the y-range (0, 5.5)" + where + ", got " + last);
    }

    private static int indexOf(List<Path> classpath, String jarPrefix) {
        for (int i = 0; i < classpath.size(); i++) {
            if (classpath.get(i).getFileName().toString().startsWith(jarPrefix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> fileNames(List<Path> classpath) {
        return classpath.stream().map(p -> p.getFileName().toString()).toList();
    }

    /**
     * MovieLens-style {@code ratings.csv} (header {@code userId,movieId,rating,timestamp}, half stars 0.5–5):
     * 60 users, 50 movies, ratings from two hidden factors plus noise. User 1 and movie 31, which the snippet
     * predicts for, rate and are rated often enough to be in any split.
     */
    static void writeRatings(Path dir) throws IOException {
        Random random = new Random(31);
        int users = 60;
        int movies = 50;
        double[][] u = new double[users + 1][2];
        double[][] m = new double[movies + 1][2];
        for (double[] row : u) {
            row[0] = random.nextGaussian();
            row[1] = random.nextGaussian();
        }
        for (double[] row : m) {
            row[0] = random.nextGaussian();
            row[1] = random.nextGaussian();
        }
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        long timestamp = 964_982_703L;
        for (int user = 1; user <= users; user++) {
            for (int movie = 1; movie <= movies; movie++) {
                boolean rated = (user == 1 || movie == 31) || random.nextDouble() < 0.4;
                if (rated) {
                    double score = 3.5 + 0.6 * (u[user][0] * m[movie][0] + u[user][1] * m[movie][1])
                            + 0.4 * random.nextGaussian();
                    double stars = Math.max(0.5, Math.min(5.0, Math.round(score * 2) / 2.0));
                    csv.append(String.format(Locale.ROOT, "%d,%d,%.1f,%d\n", user, movie, stars, timestamp++));
                }
            }
        }
        Files.writeString(dir.resolve("ratings.csv"), csv, StandardCharsets.UTF_8);
    }
}
