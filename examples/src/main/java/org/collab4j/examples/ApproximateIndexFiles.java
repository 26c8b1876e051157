package org.collab4j.examples;

import org.collab4j.ann.ApproximateIndex;
import org.collab4j.io.TrainedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code recommend --approximate}'s index: the file beside the model ({@code M.c4j.hnsw}), loaded if it is there
 * (and refused if it was built for another model or is damaged), else built from the model and saved there for the
 * next run. Messages go to standard error: standard output may be a CSV.
 */
final class ApproximateIndexFiles {

    private ApproximateIndexFiles() {}

    /**
     * The index for a model loaded from {@code modelFile}, searching with {@code ef} candidates.
     *
     * @throws IOException if an index file is there but cannot be loaded (its message says why)
     */
    static ApproximateIndex loadOrBuild(Path modelFile, TrainedModel model, int ef) throws IOException {
        Path file = ApproximateIndex.besideModel(modelFile);
        long start = System.nanoTime();
        if (Files.exists(file)) {
            ApproximateIndex index = ApproximateIndex.load(file, model).withEfSearch(ef);
            System.err.println(String.format(Locale.ROOT, "loaded the approximate index %s in %.0f ms", file,
                    (System.nanoTime() - start) / 1e6));
            return index;
        }
        ApproximateIndex index = ApproximateIndex.builder().optEfSearch(ef).build(model);
        System.err.println(String.format(Locale.ROOT, "built %s in %.1f s", index,
                (System.nanoTime() - start) / 1e9));
        try {
            index.save(file);
            System.err.println(String.format(Locale.ROOT, "saved it to %s (%,d bytes); later runs load it",
                    file, Files.size(file)));
        } catch (IOException e) {
            // The index still serves this run; only the next one has to build it again.
            System.err.println("could not save the approximate index beside the model (" + e.getMessage()
                    + "); using it for this run only");
        }
        return index;
    }
}
