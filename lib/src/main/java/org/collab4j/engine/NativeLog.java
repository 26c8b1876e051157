package org.collab4j.engine;

import ai.djl.pytorch.jni.LibUtils;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The level of PyTorch's C++ log (c10's {@code [W file:line] ...} lines on stderr), which Collab4J sets to
 * {@code ERROR} by default: a warning from the native side, written straight to the process's stderr, only
 * confuses a user of a Java library (DJL's JNI code triggers a deprecation warning of {@code
 * AutoNonVariableTypeMode} in every run) and lands in the middle of the progress bar.
 *
 * <p>The level comes from the system property {@value #LEVEL_PROPERTY}, else from PyTorch's own environment
 * variable {@code TORCH_CPP_LOG_LEVEL} (which libtorch reads only when Python's {@code torch} calls its
 * {@code initLogging}, so from Java it has no effect by itself), else {@code ERROR}. Values as PyTorch's:
 * {@code INFO}, {@code WARNING}, {@code ERROR}, {@code FATAL} or {@code 0}–{@code 3}. {@code WARNING} shows
 * what plain libtorch shows.
 *
 * <p>How: c10 keeps the level in an exported global, {@code FLAGS_caffe2_log_level}, checked at every log call;
 * it is set through JNA (which DJL already brings) in {@code libc10} of the libtorch DJL loaded. Where that
 * library or symbol is missing (another libtorch build), nothing changes and a debug line says why.
 */
final class NativeLog {

    /** System property with the level of PyTorch's C++ log. */
    static final String LEVEL_PROPERTY = "collab4j.nativeLogLevel";
    /** PyTorch's environment variable for the same level. */
    static final String LEVEL_ENV = "TORCH_CPP_LOG_LEVEL";

    private static final Logger logger = LoggerFactory.getLogger(NativeLog.class);
    private static final List<String> LEVELS = List.of("INFO", "WARNING", "ERROR", "FATAL");
    private static final int DEFAULT_LEVEL = 2;
    private static final String LEVEL_SYMBOL = "FLAGS_caffe2_log_level";

    private static boolean applied;

    private NativeLog() {}

    /** Sets the level once, after the engine has loaded libtorch. */
    static synchronized void applyOnce() {
        if (applied) {
            return;
        }
        applied = true;
        int level = level(System.getProperty(LEVEL_PROPERTY), System.getenv(LEVEL_ENV));
        Path c10 = Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("c10"));
        if (!Files.isRegularFile(c10)) {
            logger.debug("PyTorch's C++ log level left as it is: no {}", c10);
            return;
        }
        try {
            Pointer flag = NativeLibrary.getInstance(c10.toString()).getGlobalVariableAddress(LEVEL_SYMBOL);
            flag.setInt(0, level);
        } catch (UnsatisfiedLinkError e) {
            logger.debug("PyTorch's C++ log level left as it is: {} has no {}", c10, LEVEL_SYMBOL, e);
        }
    }

    /**
     * Parses the level: the property if set, else the environment variable, else {@code ERROR}.
     *
     * @return 0 (INFO) to 3 (FATAL)
     */
    static int level(String property, String environment) {
        String name = property != null && !property.isBlank() ? LEVEL_PROPERTY
                : environment != null && !environment.isBlank() ? LEVEL_ENV : null;
        if (name == null) {
            return DEFAULT_LEVEL;
        }
        String value = (name.equals(LEVEL_PROPERTY) ? property : environment).strip().toUpperCase(Locale.ROOT);
        int index = LEVELS.indexOf(value);
        if (index >= 0) {
            return index;
        }
        if (value.length() == 1 && value.charAt(0) >= '0' && value.charAt(0) <= '3') {
            return value.charAt(0) - '0';
        }
        logger.warn("{}={} is not a log level; use INFO, WARNING, ERROR or FATAL (or 0 to 3). PyTorch's C++ log"
                + " shows ERROR and above", name, value);
        return DEFAULT_LEVEL;
    }
}
