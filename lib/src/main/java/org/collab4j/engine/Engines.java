package org.collab4j.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts DJL's PyTorch engine and chooses the device to train on.
 *
 * <p>Before the engine starts, {@link #pytorch()} sets (unless the caller already did):
 *
 * <ul>
 *   <li>{@code offline=true}: DJL never downloads natives at run time; they come from the Maven jars.
 *   <li>{@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads} to {@value
 *       #DEFAULT_THREADS}: collaborative-filtering batches are many small ops, and PyTorch's default of one
 *       thread per core made them up to 25 times slower (docs/benchmarks.md, "Threads"). Override with the system
 *       property {@value #THREADS_PROPERTY} (applies to both; {@code torch} keeps PyTorch's own defaults) or
 *       DJL's own two properties.
 * </ul>
 *
 * <p>On the first start on a machine (DJL's cache holds no natives of this flavour yet) it logs, once, that DJL
 * unpacks the natives and where. After the engine starts, PyTorch's C++ log is limited to errors, so that its
 * warnings (such as the deprecation of {@code AutoNonVariableTypeMode}, which DJL's JNI code triggers) do not land
 * on the user's terminal; {@value NativeLog#LEVEL_PROPERTY} or PyTorch's own {@code TORCH_CPP_LOG_LEVEL} shows
 * them ({@link NativeLog}).
 *
 * <p>The device is the first GPU when the engine was built with CUDA and DJL counts at least one GPU, and the
 * CPU otherwise. The system property {@value #DEVICE_PROPERTY} (or the environment variable {@code
 * COLLAB4J_DEVICE}) forces it: {@code cpu}, {@code gpu} or {@code gpu:N}.
 */
public final class Engines {

    /** The engine Collab4J runs on. */
    public static final String ENGINE_NAME = "PyTorch";
    /** System property that sets both PyTorch thread counts. */
    public static final String THREADS_PROPERTY = "collab4j.threads";
    /** System property (or, upper-cased with underscores, environment variable) that forces the device. */
    public static final String DEVICE_PROPERTY = "collab4j.device";
    /** Intra-op and inter-op threads used unless overridden. */
    public static final int DEFAULT_THREADS = 1;

    private static final Logger logger = LoggerFactory.getLogger(Engines.class);
    private static final String NATIVE_DEPENDENCY =
            "ai.djl.pytorch:pytorch-native-cpu:2.0.1 (classifier linux-x86_64) for the CPU, or"
                    + " ai.djl.pytorch:pytorch-native-cu118:2.0.1 (classifier linux-x86_64) before it for NVIDIA GPUs";

    private static volatile DeviceChoice loggedChoice;
    private static boolean configured;

    private Engines() {}

    /**
     * Returns DJL's PyTorch engine, starting it on first use with Collab4J's settings.
     *
     * @return the engine
     * @throws NativeLibraryException if the natives are missing or cannot load, with what to do about it
     */
    public static Engine pytorch() {
        configure();
        try {
            Engine engine = Engine.getEngine(ENGINE_NAME);
            NativeLog.applyOnce();
            return engine;
        } catch (IllegalArgumentException e) {
            throw new NativeLibraryException(
                    "DJL's PyTorch engine is not on the classpath: add ai.djl.pytorch:pytorch-engine:0.25.0,"
                            + " ai.djl.pytorch:pytorch-jni:2.0.1-0.25.0 and "
                            + NATIVE_DEPENDENCY,
                    e);
        } catch (RuntimeException | LinkageError e) {
            throw explain(e);
        }
    }

    /**
     * Chooses the device to train on: a forced choice, else the first GPU when there is one, else the CPU.
     * The first call logs the choice and its reason once.
     *
     * @return the device and the reason
     * @throws NativeLibraryException if the engine cannot start
     * @throws IllegalArgumentException if a forced device is malformed or not available
     */
    public static DeviceChoice chooseDevice() {
        Engine engine = pytorch();
        String forced = System.getProperty(DEVICE_PROPERTY, System.getenv("COLLAB4J_DEVICE"));
        DeviceChoice choice = forced == null || forced.isBlank() ? detect(engine) : forced(engine, forced);
        if (!choice.equals(loggedChoice)) {
            loggedChoice = choice;
            logger.info("Collab4J trains on {}", choice);
        }
        return choice;
    }

    private static DeviceChoice detect(Engine engine) {
        int gpus = engine.getGpuCount();
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
        if (gpus > 0 && cuda) {
            return new DeviceChoice(
                    Device.gpu(),
                    "DJL sees " + gpus + " GPU" + (gpus == 1 ? "" : "s") + " and the CUDA natives are loaded");
        }
        // Engine.getGpuCount() is 0 whenever the natives lack CUDA, so ask the CUDA runtime itself to tell a
        // GPU host running CPU natives from a host without a GPU.
        int systemGpus = cuda ? gpus : CudaUtils.getGpuCount();
        if (systemGpus > 0) {
            return new DeviceChoice(
                    Device.cpu(),
                    "the CUDA runtime counts " + systemGpus + " GPU(s) but the loaded PyTorch natives are the CPU"
                            + " flavour; put pytorch-native-cu118 on the classpath (or point PYTORCH_LIBRARY_PATH"
                            + " at a CUDA build of libtorch) to use the GPU");
        }
        if (cuda) {
            return new DeviceChoice(
                    Device.cpu(),
                    "the CUDA natives are loaded but DJL counts no GPU (is the CUDA runtime libcudart on the"
                            + " library path?)");
        }
        return new DeviceChoice(Device.cpu(), "no GPU found: DJL counts 0 GPUs and uses the CPU natives");
    }

    private static DeviceChoice forced(Engine engine, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if ("cpu".equals(v)) {
            return new DeviceChoice(Device.cpu(), "forced by " + DEVICE_PROPERTY + "=" + value);
        }
        if (v.startsWith("gpu")) {
            int id;
            try {
                id = v.equals("gpu") ? 0 : Integer.parseInt(v.substring(v.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        DEVICE_PROPERTY + " must be cpu, gpu or gpu:N, got '" + value + "'", e);
            }
            if (id >= engine.getGpuCount() || !engine.hasCapability(StandardCapabilities.CUDA)) {
                throw new IllegalArgumentException(
                        DEVICE_PROPERTY + "=" + value + " asks for GPU " + id + " but DJL sees "
                                + engine.getGpuCount() + " GPU(s) with "
                                + (engine.hasCapability(StandardCapabilities.CUDA) ? "CUDA" : "CPU-only")
                                + " natives");
            }
            return new DeviceChoice(Device.gpu(id), "forced by " + DEVICE_PROPERTY + "=" + value);
        }
        throw new IllegalArgumentException(DEVICE_PROPERTY + " must be cpu, gpu or gpu:N, got '" + value + "'");
    }

    private static synchronized void configure() {
        if (!configured) {
            configured = true;
            announceFirstUnpack();
        }
        setIfAbsent("offline", "true");
        String threads = System.getProperty(THREADS_PROPERTY, String.valueOf(DEFAULT_THREADS));
        if ("torch".equals(threads)) {
            return;
        }
        setIfAbsent("ai.djl.pytorch.num_threads", threads);
        setIfAbsent("ai.djl.pytorch.num_interop_threads", threads);
    }

    /**
     * Says so, in one log line, when DJL is about to unpack the natives from the jar into its cache: it takes a few
     * seconds and hundreds of megabytes of disk once, and a user who was not told wonders where both went.
     */
    private static void announceFirstUnpack() {
        if (libtorchOverride() != null) {
            return; // a libtorch of the user's own: nothing is unpacked
        }
        Platform platform;
        try {
            platform = Platform.detectPlatform("pytorch");
        } catch (RuntimeException e) {
            return; // no native jar: pytorch() explains that
        }
        if (platform.isPlaceholder()) {
            return;
        }
        Path cache = Utils.getEngineCacheDir("pytorch");
        String prefix = platform.getVersion() + "-" + platform.getFlavor();
        try (var dirs = Files.list(cache)) {
            if (dirs.anyMatch(d -> d.getFileName().toString().startsWith(prefix)
                    && Files.isRegularFile(d.resolve(System.mapLibraryName("torch"))))) {
                return;
            }
        } catch (IOException e) {
            // no cache yet: this is the first start
        }
        logger.info("First start: unpacking PyTorch {} ({}) natives, about {}, into {} (once; DJL_CACHE_DIR moves"
                + " them)", platform.getVersion().replaceFirst("-.*", ""), platform.getFlavor(),
                platform.getFlavor().startsWith("cpu") ? "460 MB" : "3 GB", cache);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Turns DJL's native-loading failure into one message that says what to do. */
    /** A shared library the dynamic linker could not find, as glibc words it. */
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

    static NativeLibraryException explain(Throwable error) {
        return explain(error, libtorchOverride());
    }

    /**
     * Turns DJL's native-loading failure into one message that says what to do.
     *
     * @param error DJL's error
     * @param override the PYTORCH_LIBRARY_PATH directory holding the libtorch DJL loaded, or {@code null}
     */
    static NativeLibraryException explain(Throwable error, String override) {
        String trace = stackTrace(error);
        String advice;
        Matcher missing = MISSING_LIBRARY.matcher(trace);
        if (override != null && missing.find() && !missing.group(1).contains("djl_torch")) {
            // Found on the GPU machine: a libtorch of one's own loads its CUDA libraries from wherever its
            // installer put them, so the JNI advice below would send the user the wrong way.
            advice = "the libtorch in " + override + " needs " + missing.group(1) + ", which the dynamic linker"
                    + " did not find. Add the folder that holds it to LD_LIBRARY_PATH (for a pip-installed PyTorch:"
                    + " the lib folders under site-packages/nvidia, and torch/lib itself)";
        } else if (override != null) {
            // A libtorch of the user's own: the jar-oriented advice below would send them the wrong way.
            advice = "PYTORCH_LIBRARY_PATH points DJL at the libtorch in " + override + ", and DJL needs a JNI"
                    + " library (libdjl_torch.so) built for exactly that libtorch. The pytorch-jni jar has them for"
                    + " PyTorch 2.0.1 only, one per flavour: set PYTORCH_FLAVOR to cpu or cu118 for a C++11-ABI"
                    + " build, cpu-precxx11 or cu118-precxx11 for a pre-C++11-ABI one (DJL assumes -precxx11 when"
                    + " it is unset). For any other version set PYTORCH_VERSION and PYTORCH_FLAVOR and put a JNI"
                    + " library built for it at " + Utils.getEngineCacheDir("pytorch")
                    + "/<PYTORCH_VERSION>-<PYTORCH_FLAVOR>-linux-x86_64/0.25.0-libdjl_torch.so (docs/gpu.md)."
                    + " Unset PYTORCH_LIBRARY_PATH to use the native jars instead";
        } else if (trace.contains("libcuda.so")) {
            advice = "the CUDA natives need an NVIDIA driver (libcuda.so.1), which this host does not have."
                    + " Install the NVIDIA driver, or put pytorch-native-cpu on the classpath after"
                    + " pytorch-native-cu118 so that DJL can fall back to the CPU";
        } else if (trace.contains("libcudnn")) {
            advice = "the CUDA natives need cuDNN 8 (libcudnn.so.8) from the system, which was not found."
                    + " Install cuDNN 8 for CUDA 11 (e.g. the libcudnn8 package) or add its directory to"
                    + " LD_LIBRARY_PATH";
        } else if (trace.contains("Offline model is enabled")
                || trace.contains("publish.djl.ai")
                || trace.contains("UnknownHostException")
                || trace.contains("pytorch index file")) {
            advice = "no PyTorch native jar is on the classpath and Collab4J never downloads natives at run"
                    + " time. Add " + NATIVE_DEPENDENCY + " (runtime scope) to your build";
        } else {
            advice = "check that " + NATIVE_DEPENDENCY + " and ai.djl.pytorch:pytorch-jni:2.0.1-0.25.0 are on the"
                    + " classpath and match DJL 0.25.0";
        }
        return new NativeLibraryException(
                "Cannot start PyTorch: " + advice + ". (DJL said: " + rootMessage(error) + ")", error);
    }

    /** Returns the PYTORCH_LIBRARY_PATH entry that holds a libtorch (the one DJL loads), or {@code null}. */
    private static String libtorchOverride() {
        String path = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        if (path == null || path.isBlank()) {
            return null;
        }
        String name = System.mapLibraryName("torch");
        // DJL takes the first entry that is libtorch.so itself or a directory holding it.
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && p.getFileName().toString().equals(name)) {
                return p.toAbsolutePath().getParent().toString();
            }
            if (Files.isRegularFile(p.resolve(name))) {
                return p.toAbsolutePath().toString();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
