package org.collab4j.consumercheck;

import org.w3c.dom.Document;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

/**
 * A throwaway Maven project outside the reactor, as a new user would write it: a pom with the README's dependency
 * block, a main class made of the README's snippet, built offline against a given local repository by the Maven
 * that runs this build, then run with plain {@code java}.
 */
final class ConsumerProject {

    /** Plugins the consumer's {@code compile} and classpath steps run; pinned to the versions the outer build used. */
    private static final List<String> PINNED_PLUGINS =
            List.of("maven-resources-plugin", "maven-compiler-plugin", "maven-dependency-plugin");
    private static final long TIMEOUT_MINUTES = 5;

    private final Path dir;
    private final Settings settings;

    /**
     * Where things are, as the outer build passed them to Surefire.
     *
     * @param repo the local repository holding this build's artifacts (third-party ones are linked in)
     * @param mavenHome the Maven installation running this build
     * @param projectRoot the reactor's root directory
     */
    record Settings(Path repo, Path mavenHome, Path projectRoot) {}

    private ConsumerProject(Path dir, Settings settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /**
     * Writes the project.
     *
     * @param dir an empty directory outside the reactor
     * @param dependencies what goes into the pom's {@code <project>} after the properties: a
     *     {@code <dependencies>} section, possibly with a {@code <dependencyManagement>} before it
     * @param snippet the README's Java snippet: imports, then statements
     */
    static ConsumerProject create(Path dir, Settings settings, String dependencies, String snippet)
            throws IOException {
        ConsumerProject project = new ConsumerProject(dir, settings);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pom.xml"), project.pom(dependencies), StandardCharsets.UTF_8);
        Path sources = Files.createDirectories(dir.resolve("src/main/java"));
        Files.writeString(sources.resolve("Main.java"), mainClass(snippet), StandardCharsets.UTF_8);
        return project;
    }

    Path dir() {
        return dir;
    }

    /**
     * Adds a file to the project's {@code src/main/resources}, such as an application's logging configuration.
     *
     * @param name the file's name
     * @param content its text
     */
    void addResource(String name, String content) throws IOException {
        Path resources = Files.createDirectories(dir.resolve("src/main/resources"));
        Files.writeString(resources.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Wraps dependency blocks in {@code <dependencies>}, in order. */
    static String dependencies(String... dependencyBlocks) {
        StringBuilder section = new StringBuilder("<dependencies>\n");
        for (String block : dependencyBlocks) {
            section.append(indent(block, 2));
        }
        return section.append("</dependencies>\n").toString();
    }

    /**
     * Compiles the project offline and returns its runtime classpath, in order.
     *
     * @param mavenArguments more arguments for Maven, such as a {@code -D} property
     */
    List<Path> compile(String... mavenArguments) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path classpathFile = dir.resolve("target/classpath.txt");
        String dependencyPlugin = "org.apache.maven.plugins:maven-dependency-plugin:"
                + pluginVersion("maven-dependency-plugin") + ":build-classpath";
        List<String> command = new ArrayList<>(List.of(settings.mavenHome().resolve("bin/mvn").toString(), "-B",
                "-o", "-Dmaven.repo.local=" + settings.repo()));
        command.addAll(List.of(mavenArguments));
        command.addAll(List.of("compile", dependencyPlugin, "-Dmdep.includeScope=runtime",
                "-Dmdep.outputFile=" + classpathFile));
        // C1 only: these Maven runs last seconds, and starting faster is worth more than peak speed (-40%).
        String mavenOpts = ("-XX:TieredStopAtLevel=1 " + System.getenv().getOrDefault("MAVEN_OPTS", "")).strip();
        run(dir.resolve("maven.log"), Map.of("JAVA_HOME", System.getProperty("java.home"), "MAVEN_OPTS", mavenOpts),
                command.toArray(String[]::new));
        String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
        System.out.printf(Locale.ROOT, "[consumer %s] mvn -o compile + build-classpath: %.1f s%n",
                dir.getFileName(), (System.nanoTime() - start) / 1e9);
        return Arrays.stream(classpath.split(File.pathSeparator)).map(Path::of).toList();
    }

    /** Runs {@code Main} with the project directory as working directory; returns what it printed. */
    String run(List<Path> classpath) throws IOException, InterruptedException {
        List<Path> entries = new ArrayList<>();
        // Where `mvn compile` put the classes and, copied from src/main/resources, the resources.
        entries.add(dir.resolve("target/classes"));
        entries.addAll(classpath);
        String cp = entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        long start = System.nanoTime();
        String output = run(dir.resolve("run.log"), Map.of(), java.toString(), "-cp", cp, "Main");
        System.out.printf(Locale.ROOT, "[consumer %s] java Main: %.1f s, output:%n%s%n", dir.getFileName(),
                (System.nanoTime() - start) / 1e9, output.strip());
        return output;
    }

    /**
     * Lets {@code repo} serve every artifact of {@code outerRepo} except Collab4J's own: each top-level entry
     * (and each entry of {@code org/}) becomes a link, so nothing is copied (the cu118 jar is 1.6 GB) and a
     * Collab4J that another checkout installed into ~/.m2 can never stand in for this build's.
     */
    static void linkThirdPartyArtifacts(Path repo, Path outerRepo) throws IOException {
        linkEntries(outerRepo, repo, "org");
        linkEntries(outerRepo.resolve("org"), repo.resolve("org"), "collab4j");
    }

    private static void linkEntries(Path from, Path to, String skipped) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
            for (Path entry : entries) {
                Path target = entry.toAbsolutePath();
                Path link = to.resolve(entry.getFileName().toString());
                if (entry.getFileName().toString().equals(skipped)) {
                    continue;
                }
                // A link left by an earlier run may point at another local repository (-Dmaven.repo.local).
                if (Files.isSymbolicLink(link) && !Files.readSymbolicLink(link).equals(target)) {
                    Files.delete(link);
                }
                if (Files.notExists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, target);
                }
            }
        }
    }

    private String pom(String dependencies) {
        StringBuilder plugins = new StringBuilder();
        for (String plugin : PINNED_PLUGINS) {
            plugins.append(String.format(Locale.ROOT, """
                            <plugin>
                              <groupId>org.apache.maven.plugins</groupId>
                              <artifactId>%s</artifactId>
                              <version>%s</version>
                            </plugin>
                    """, plugin, pluginVersion(plugin)));
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.example</groupId>
                  <artifactId>readme-consumer</artifactId>
                  <version>1.0</version>

                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>

                %s
                  <!-- Not what the README asks of a user: the plugin versions the outer build downloaded, so
                       that this build runs offline. -->
                  <build>
                    <pluginManagement>
                      <plugins>
                %s      </plugins>
                    </pluginManagement>
                  </build>
                </project>
                """.formatted(indent(dependencies, 2), plugins);
    }

    /** Imports first, as written; every other line goes into {@code main}. */
    static String mainClass(String snippet) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            boolean header = body.length() == 0 && (line.startsWith("import ") || line.isBlank());
            (header ? imports : body).append(header ? line : "        " + line).append('\n');
        }
        return imports + """
                public class Main {
                    public static void main(String[] args) throws Exception {
                """ + body.toString().stripTrailing() + """

                    }
                }
                """;
    }

    /** The version the reactor's parent pins for a plugin, so the consumer uses the jars already downloaded. */
    private String pluginVersion(String artifactId) {
        Path parent = settings.projectRoot().resolve("pom.xml");
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(parent.toFile());
            String version = XPathFactory.newInstance().newXPath().evaluate(
                    "/project/build/pluginManagement/plugins/plugin[artifactId='" + artifactId + "']/version",
                    pom).strip();
            if (version.isEmpty() || version.contains("$")) {
                throw new IllegalStateException(parent + " should pin " + artifactId
                        + " with a literal version in pluginManagement, found '" + version + "'");
            }
            return version;
        } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException
                | javax.xml.xpath.XPathExpressionException e) {
            throw new IllegalStateException("cannot read " + parent, e);
        }
    }

    private String run(Path log, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " ran past " + TIMEOUT_MINUTES + " minutes in "
                    + dir + "\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + " in "
                    + dir + "\n" + tail(log));
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        return text.lines().map(l -> l.isEmpty() ? l : pad + l).collect(Collectors.joining("\n", "", "\n"));
    }
}
