package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Provenance.Tuning#refitModels()} in the model file: kept by a save and load, read as 1 from a file written
 * before refits were averaged (no such field), refused below 1.
 */
class TuningRecordTest {

    @TempDir
    Path dir;

    private static Provenance.Tuning tuning(int refitModels) {
        return new Provenance.Tuning("rmse", false, 60, 41.5,
                List.of(new Provenance.Tuning.Trial(1, 1, "mse factors=50 lr=0.00500 wd=0.0500", 5, 5, 0.85, 1.2,
                        false)), 1, "mse factors=50 lr=0.00500 wd=0.0500 epochs=5", refitModels);
    }

    /** The fixture with a search in its provenance, saved and read back as entries. */
    private Map<String, byte[]> saved(Provenance.Tuning t) throws IOException {
        TrainedModel model = TrainedModel.load(fixture()).withTuning(t);
        Path file = dir.resolve("tuned.c4j");
        model.save(file);
        return ModelFile.readEntries(file);
    }

    private Path fixture() throws IOException {
        Path file = dir.resolve("fixture.c4j");
        ModelFile.writeEntries(file, CraftedFiles.fixture("v2-dotbias"));
        return file;
    }

    /** Writes {@code entries} with the provenance's {@code from} replaced by {@code to}, and loads the file. */
    private TrainedModel loadEdited(Map<String, byte[]> entries, String from, String to) throws IOException {
        String provenance = new String(entries.get(ModelCodec.PROVENANCE), StandardCharsets.UTF_8);
        assertTrue(provenance.contains(from), provenance);
        Map<String, byte[]> edited = new LinkedHashMap<>(entries);
        edited.put(ModelCodec.PROVENANCE, provenance.replace(from, to).getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("edited.c4j");
        ModelFile.writeEntries(file, edited);
        return TrainedModel.load(file);
    }

    @Test
    void theRefitCountIsSavedLoadedAndShown() throws IOException {
        Path file = dir.resolve("three.c4j");
        TrainedModel.load(fixture()).withTuning(tuning(3)).save(file);
        Provenance loaded = TrainedModel.load(file).getProvenance();
        assertEquals(tuning(3), loaded.tuning());
        assertEquals(3, loaded.tuning().refitModels());
        assertTrue(loaded.toString().contains("refit averaged 3 models"), loaded.toString());
        assertTrue(!loaded.withTuning(tuning(1)).toString().contains("refit averaged"), "one model says nothing");
    }

    @Test
    void aFileWithoutTheCountWasRefitAsOneModel() throws IOException {
        TrainedModel old = loadEdited(saved(tuning(2)), "\"refitModels\": 2,", "");
        assertEquals(1, old.getProvenance().tuning().refitModels());
        assertEquals(tuning(1), old.getProvenance().tuning());
    }

    @Test
    void aCountBelowOneIsRefused() throws IOException {
        Map<String, byte[]> entries = saved(tuning(2));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> loadEdited(entries, "\"refitModels\": 2", "\"refitModels\": 0"));
        assertTrue(e.getMessage().contains("tuning.refitModels must be at least 1, not 0"), e.getMessage());
        IllegalArgumentException built = assertThrows(IllegalArgumentException.class, () -> tuning(0));
        assertTrue(built.getMessage().contains("at least 1 model"), built.getMessage());
    }
}
