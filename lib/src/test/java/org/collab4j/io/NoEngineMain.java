package org.collab4j.io;

import org.collab4j.recommend.Recommender;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The child JVM of {@link ServingWithoutEngineTest}: loads model files and prints each one's top 3 for every
 * user, on a classpath without DJL or PyTorch. Refers to no DJL class, directly or through its imports.
 */
public final class NoEngineMain {

    private NoEngineMain() {}

    /**
     * Prints whether DJL and PyTorch are loadable, then the recommendations of each model.
     *
     * @param args model files
     * @throws IOException if one cannot be loaded
     */
    public static void main(String[] args) throws IOException {
        System.out.println("djl " + loadable("ai.djl.engine.Engine") + ", pytorch "
                + loadable("ai.djl.pytorch.engine.PtEngine"));
        for (String arg : args) {
            TrainedModel model = TrainedModel.load(Path.of(arg));
            System.out.println(ServingWithoutEngineTest.recommendations(model));
        }
    }

    private static String loadable(String name) {
        try {
            Class.forName(name, false, NoEngineMain.class.getClassLoader());
            return "present";
        } catch (ClassNotFoundException e) {
            return "absent";
        }
    }
}
