package org.collab4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

class EnginesTest {

    @Test
    void choosesTheGpuWhenThereIsOneAndSaysWhy() {
        DeviceChoice choice = Engines.chooseDevice();
        if (Engines.pytorch().getGpuCount() > 0) {
            assertTrue(choice.device().isGpu(), choice.toString());
        } else {
            assertEquals(Device.cpu(), choice.device());
            assertTrue(choice.reason().contains("0 GPUs"), choice.reason());
        }
        assertEquals("1", System.getProperty("ai.djl.pytorch.num_threads"));
        assertEquals("true", System.getProperty("offline"));
    }

    @Test
    void forcingAMissingGpuFailsClearly() {
        assumeTrue(Engines.pytorch().getGpuCount() == 0, "this host has a GPU");
        System.setProperty(Engines.DEVICE_PROPERTY, "gpu");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Engines::chooseDevice);
            assertTrue(e.getMessage().contains("sees 0 GPU"), e.getMessage());
            System.setProperty(Engines.DEVICE_PROPERTY, "cpu");
            assertEquals(Device.cpu(), Engines.chooseDevice().device());
        } finally {
            System.clearProperty(Engines.DEVICE_PROPERTY);
        }
    }

    @Test
    void gpuTrainsWhenPresent() {
        assumeTrue(Engines.pytorch().getGpuCount() > 0, "no GPU on this host");
        assertTrue(Engines.chooseDevice().device().isGpu());
    }

    @Test
    void explainsMissingSystemLibraries() {
        // No PYTORCH_LIBRARY_PATH here, whatever this host's environment says (the GPU machine had one set).
        String cudnn = Engines.explain(new EngineException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("libcudnn.so.8: cannot open shared object file")), null).getMessage();
        assertTrue(cudnn.contains("cuDNN 8"), cudnn);
        String driver = Engines.explain(new EngineException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file")), null).getMessage();
        assertTrue(driver.contains("NVIDIA driver"), driver);
    }

    /** Seen on the GPU machine: a pip-installed libtorch whose CUDA libraries the linker could not find. */
    @Test
    void namesTheLibraryAUsersLibtorchCannotFind() {
        String message = Engines.explain(new EngineException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("libcudnn.so.9: cannot open shared object file")), "/opt/torch/lib")
                .getMessage();
        assertTrue(message.contains("libcudnn.so.9") && message.contains("LD_LIBRARY_PATH")
                && message.contains("/opt/torch/lib"), message);
        assertFalse(message.contains("cuDNN 8"), "no advice for the jar's natives: " + message);
        String jni = Engines.explain(new EngineException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("/c/0.25.0-libdjl_torch.so: cannot open shared object file")),
                "/opt/torch/lib").getMessage();
        assertTrue(jni.contains("PYTORCH_FLAVOR"), "a missing JNI library keeps the JNI advice: " + jni);
    }

    @Test
    void explainsAJniLibraryThatDoesNotFitTheUsersLibtorch() {
        String message = Engines.explain(new EngineException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("/c/pytorch/2.0.1-cpu-precxx11-linux-x86_64/0.25.0-libdjl_torch.so:"
                        + " undefined symbol: _ZNK5torch3jit6Method")), "/opt/libtorch/lib").getMessage();
        assertTrue(message.contains("/opt/libtorch/lib") && message.contains("PYTORCH_FLAVOR")
                && message.contains("PYTORCH_VERSION") && message.contains("-linux-x86_64/0.25.0-libdjl_torch.so"),
                message);
        assertTrue(message.contains("undefined symbol"), "keeps DJL's own words: " + message);
        assertFalse(message.contains("Add ai.djl.pytorch"), "no jar advice for a user's own libtorch: " + message);
    }

    /**
     * Starts a JVM whose classpath lacks the native jars and whose DJL cache is empty: it must fail with
     * Collab4J's message naming the dependency, not DJL's download error.
     */
    @Test
    void missingNativesGiveOneActionableError() throws Exception {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> !p.contains("pytorch-native-"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
        Path cache = Files.createTempDirectory("djl-cache");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "-DDJL_CACHE_DIR=" + cache, "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                StartEngine.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DJL_CACHE_DIR", cache.toString());
        // A libtorch of the host's own would be loaded instead of the (missing) jars: not the case under test.
        builder.environment().keySet().removeAll(List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(3, process.exitValue(), output);
        assertTrue(output.contains("pytorch-native-cpu"), output);
        assertTrue(output.contains("never downloads"), output);
        assertFalse(output.contains("publish.djl.ai/pytorch"), output);
        deleteQuietly(cache);
    }

    private static void deleteQuietly(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    /** Entry point of the child JVM: exit 3 with the message on NativeLibraryException. */
    public static final class StartEngine {
        public static void main(String[] args) {
            try {
                Engines.pytorch();
                System.out.println("engine started");
                System.exit(0);
            } catch (NativeLibraryException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
