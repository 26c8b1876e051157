package org.collab4j.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;

import org.collab4j.data.Ratings;
import org.collab4j.engine.DeviceChoice;
import org.collab4j.engine.Engines;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.EpochResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code gpu-check}: what DJL's PyTorch engine sees on this host, the device Collab4J chooses and why, and a short
 * timed training run of EmbeddingDotBias on synthetic ratings on that device.
 *
 * <p>The run goes through {@link CollabLearner}, so it measures the real training loop (ratings copied to the
 * device once, shuffled and gathered there). The learner trains whole epochs, so the synthetic data is sized to
 * make epochs × batches per epoch come to about {@code --batches}.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "Show the DJL and PyTorch versions, the natives loaded, the GPUs DJL counts and the device"
                + " Collab4J chooses, then time a short EmbeddingDotBias training run on synthetic ratings on that"
                + " device. -Dcollab4j.device=cpu|gpu|gpu:N (or COLLAB4J_DEVICE) forces the device.")
final class GpuCheck implements Callable<Integer> {

    /** Ratings held per epoch at most: bounds the synthetic data (12 bytes a rating on the host and device). */
    static final long MAX_RATINGS_PER_EPOCH = 2_000_000;
    /** Epochs the run is split into when there are enough batches: the first one includes the warm-up. */
    static final int EPOCHS = 5;

    @Option(names = "--batches", description = "training batches to run, about (default: ${DEFAULT-VALUE})")
    int batches = 300;

    @Option(names = "--bs", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize = 8192;

    @Option(names = "--users", description = "users in the synthetic data (default: ${DEFAULT-VALUE})")
    int users = 10_000;

    @Option(names = "--items", description = "items in the synthetic data (default: ${DEFAULT-VALUE})")
    int items = 5_000;

    @Option(names = "--factors", description = "factors per user and item of the model (default: ${DEFAULT-VALUE})")
    int factors = 50;

    @Option(names = "--lr", description = "constant learning rate (default: ${DEFAULT-VALUE})")
    float lr = 5e-3f;

    @Option(names = "--seed", description = "random seed for the data and the model (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Override
    public Integer call() {
        checkOptions();
        Engine engine = Engines.pytorch();
        line("DJL", Engine.getDjlVersion());
        line("PyTorch", engine.getVersion());
        line("Natives", natives());
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
        line("CUDA", cuda ? "yes: the loaded PyTorch natives are built with CUDA"
                : "no: the loaded PyTorch natives are the CPU build");

        // CudaUtils asks the system's CUDA runtime (libcudart through JNA), whatever natives were loaded;
        // Engine.getGpuCount() says 0 unless the natives have CUDA too. Both matter, so both are shown.
        int systemGpus = CudaUtils.getGpuCount();
        line("GPUs", engine.getGpuCount() + " usable by the engine; " + systemGpus + " counted by "
                + cudaRuntime());
        for (int id = 0; id < systemGpus; id++) {
            line("  gpu(" + id + ")", gpuDescription(id));
        }

        DeviceChoice choice = Engines.chooseDevice();
        line("Device", choice.toString());
        if (!choice.device().isGpu()) {
            System.out.println(systemGpus == 0
                    ? "No GPU: the CUDA runtime counts none on this host; training on the CPU."
                    : "GPU not used: " + choice.reason() + "; training on the CPU.");
        }

        train();
        return 0;
    }

    private void train() {
        int epochs = epochs(batches, batchSize);
        int perEpoch = (batches + epochs - 1) / epochs;
        Ratings ratings = syntheticRatings(users, items, perEpoch * batchSize, seed);
        line("Training", String.format(Locale.ROOT,
                "EmbeddingDotBias, %d factors, %d users x %d items, batch size %d: %d epochs x %d batches"
                        + " (%d synthetic ratings), constant lr %s", factors, ratings.users().size(),
                ratings.items().size(), batchSize, epochs, perEpoch, ratings.size(), lr));
        try (CollabLearner learner = CollabLearner.builder()
                .setTrainData(ratings)
                .optModel(EmbeddingDotBias.builder().optFactors(factors))
                .optBatchSize(batchSize)
                .optSeed(seed)
                .optOutput(null)
                .optProgressBar(false)
                .build()) {
            long start = System.nanoTime();
            List<EpochResult> rows = learner.fit(epochs, lr);
            double seconds = (System.nanoTime() - start) / 1e9;

            long perEpochRatings = (long) perEpoch * batchSize;
            line("Train loss", String.format(Locale.ROOT, "%.4f after epoch 1, %.4f after epoch %d",
                    rows.get(0).trainLoss(), rows.get(rows.size() - 1).trainLoss(), epochs));
            String steady = "";
            if (epochs > 1) {
                // The first epoch pays for one-off work (kernel loading, allocator growth; on a GPU, CUDA
                // context and cuDNN/cuBLAS set-up), so the later epochs are the rate a long run sees.
                double later = rows.stream().skip(1).mapToDouble(EpochResult::seconds).sum();
                steady = String.format(Locale.ROOT, "; after the first epoch %.0f ratings/s",
                        perEpochRatings * (epochs - 1) / later);
            }
            line("Speed", String.format(Locale.ROOT, "%d batches, %d ratings in %.3f s: %.0f ratings/s%s",
                    (long) epochs * perEpoch, perEpochRatings * epochs, seconds, perEpochRatings * epochs / seconds,
                    steady));
            Device used = learner.getDevice().device();
            line("Device used", learner.getDevice().toString());
            if (used.isGpu()) {
                // PyTorch's caching allocator keeps what the run allocated: memory in use that grew during the
                // run is a second sign, beside the speed, that the work really happened on this GPU.
                line("GPU memory", "gpu(" + used.getDeviceId() + ") after training: "
                        + gpuDescription(used.getDeviceId()));
            }
        }
    }

    private void checkOptions() {
        if (batches < 1 || batchSize < 1 || users < 1 || items < 1 || factors < 1) {
            throw new IllegalArgumentException("--batches, --bs, --users, --items and --factors must be at least 1");
        }
        if (!(lr > 0f) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be finite and > 0, got " + lr);
        }
    }

    /**
     * Splits a run of about {@code batches} batches into epochs: {@value #EPOCHS} when there are that many
     * batches, more when an epoch would otherwise hold over {@value #MAX_RATINGS_PER_EPOCH} ratings.
     *
     * @param batches the batches wanted
     * @param batchSize the batch size
     * @return the number of epochs, between 1 and {@code batches}
     */
    static int epochs(int batches, int batchSize) {
        long bySize = ((long) batches * batchSize + MAX_RATINGS_PER_EPOCH - 1) / MAX_RATINGS_PER_EPOCH;
        return (int) Math.min(batches, Math.max(EPOCHS, bySize));
    }

    /**
     * Makes ratings from a known latent-factor model: rating = 3.5 + user bias + item bias + user·item over 4
     * factors + noise (σ 0.3), clipped to 0.5..5. The first rows cover every user and item once, so the model's
     * tables have the sizes asked for when there are enough rows.
     *
     * @param users the number of users
     * @param items the number of items
     * @param count the number of ratings
     * @param seed the random seed
     * @return the ratings, users and items with ids "0", "1", …
     */
    static Ratings syntheticRatings(int users, int items, int count, long seed) {
        Random random = new Random(seed);
        int k = 4;
        float[][] userFactors = gaussian(random, users, k + 1, 0.5);
        float[][] itemFactors = gaussian(random, items, k + 1, 0.5);
        Ratings.Builder builder = Ratings.builder();
        for (int row = 0; row < count; row++) {
            int u = row < users ? row : random.nextInt(users);
            int i = row < items ? row : random.nextInt(items);
            // Column k of each table is the bias; columns 0..k-1 the factors.
            double r = 3.5 + 0.6 * userFactors[u][k] + itemFactors[i][k] + random.nextGaussian() * 0.3;
            for (int f = 0; f < k; f++) {
                r += userFactors[u][f] * itemFactors[i][f];
            }
            builder.add(String.valueOf(u), String.valueOf(i), (float) Math.max(0.5, Math.min(5.0, r)));
        }
        return builder.build();
    }

    private static float[][] gaussian(Random random, int rows, int columns, double sigma) {
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
            for (int c = 0; c < columns; c++) {
                row[c] = (float) (random.nextGaussian() * sigma);
            }
        }
        return values;
    }

    /** Says which native flavour was loaded and from where: a native jar, or PYTORCH_LIBRARY_PATH. */
    private static String natives() {
        Path loaded = Path.of(LibUtils.getLibtorchPath()).toAbsolutePath().normalize();
        String override = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        if (override != null && !override.isBlank()) {
            for (String dir : override.split(File.pathSeparator)) {
                if (!dir.isBlank() && Path.of(dir).toAbsolutePath().normalize().equals(loaded)) {
                    String flavour = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
                    if (flavour == null || flavour.isBlank()) {
                        // What DJL 0.25's LibUtils assumes without PYTORCH_FLAVOR: a pre-C++11-ABI build.
                        flavour = (CudaUtils.getGpuCount() > 0 ? "cu" + CudaUtils.getCudaVersionString() : "cpu")
                                + "-precxx11 (DJL's default without PYTORCH_FLAVOR)";
                    } else {
                        flavour += " (PYTORCH_FLAVOR)";
                    }
                    return flavour + ", libtorch from PYTORCH_LIBRARY_PATH: " + loaded;
                }
            }
        }
        // Platform.detectPlatform returns the native jar DJL took: the first on the classpath that fits the host.
        Platform platform = Platform.detectPlatform("pytorch");
        return platform.getFlavor() + " flavour from the native jar " + platform + ", extracted to " + loaded;
    }

    /** Names the CUDA runtime DJL found (it counts GPUs through it), or says that it found none. */
    private static String cudaRuntime() {
        try {
            int version = CudaUtils.getCudaVersion();
            return String.format(Locale.ROOT, "the CUDA runtime %d.%d (libcudart, found through JNA)",
                    version / 1000, version / 10 % 10);
        } catch (RuntimeException e) {
            return "no CUDA runtime: libcudart was not found through JNA (its directory may need"
                    + " -Djna.library.path)";
        }
    }

    private static String gpuDescription(int id) {
        try {
            MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(id));
            return String.format(Locale.ROOT, "compute capability %s, %,d MiB memory (%,d MiB in use)",
                    CudaUtils.getComputeCapability(id), memory.getMax() >> 20, memory.getUsed() >> 20);
        } catch (RuntimeException e) {
            return "cannot query it: " + e.getMessage();
        }
    }

    private static void line(String label, String value) {
        System.out.println(String.format(Locale.ROOT, "%-12s %s", label, value));
    }
}
