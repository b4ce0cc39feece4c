package org.langneurons.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which libtorch DJL's PyTorch engine will load, and whether DJL's JNI glue (libdjl_torch.so) fits it. DJL 0.35.1's
 * shipped glue is compiled against libtorch 2.7.1 and fails on the first tensor against any other libtorch (on 2.13:
 * {@code set_stride is not allowed on a Tensor created from .data or .detach()}; on 2.11 cu130 a bare stack trace
 * through {@code PyTorchLibrary.torchFromBlob}). {@code env/gpu-setup.sh} rebuilds the glue for the machine's libtorch;
 * these checks turn the failure into one line that says so.
 */
public final class TorchNatives {
    /** The libtorch version DJL 0.35.1's shipped JNI glue is compiled against. */
    public static final String GLUE_LIBTORCH = "2.7.1";
    /** DJL's version, the prefix of a cached glue's file name. */
    public static final String DJL_VERSION = "0.35.1";

    static final String FIX = "run `bash env/gpu-setup.sh --python PYTHON` (the python whose torch to use; or"
            + " --libtorch DIR) and export what it prints (source its env.sh), which builds DJL's glue for that"
            + " libtorch; or point PYTORCH_LIBRARY_PATH at a libtorch " + GLUE_LIBTORCH + " (README, GPU)";

    private static final Pattern WHEEL_VERSION = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");

    private TorchNatives() {
    }

    /**
     * Throws, with the fix, when the environment points DJL at a libtorch its JNI glue does not fit. Called before
     * a model's first array; does nothing with the bundled CPU natives (no PYTORCH_LIBRARY_PATH).
     *
     * @throws IllegalStateException saying what to run
     */
    public static void check() {
        String problem = mismatch(TorchNatives::setting);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    private static String setting(String name) {
        String v = System.getProperty(name);
        return v != null && !v.isEmpty() ? v : System.getenv(name);
    }

    /**
     * The mismatch between the libtorch in {@code PYTORCH_LIBRARY_PATH} and the glue DJL will pair it with, or null
     * when there is none (or it cannot be told).
     *
     * @param env DJL's settings by name (environment variable or system property)
     */
    static String mismatch(Function<String, String> env) {
        String libPath = env.apply("PYTORCH_LIBRARY_PATH");
        if (libPath == null || libPath.isEmpty()) {
            return null;
        }
        Path dir = null;
        for (String p : libPath.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(p);
            if (Files.isRegularFile(candidate) && candidate.getFileName().toString().equals("libtorch.so")) {
                candidate = candidate.getParent();
            }
            if (Files.isRegularFile(candidate.resolve("libtorch.so"))) {
                dir = candidate.toAbsolutePath();
                break;
            }
        }
        if (dir == null) {
            return null;
        }
        String actual = libtorchVersion(dir);
        if (actual == null) {
            return null;
        }
        String declared = Objects.requireNonNullElse(blankToNull(env.apply("PYTORCH_VERSION")), GLUE_LIBTORCH);
        String base = actual.split("\\+")[0];
        if (!base.equals(declared)) {
            return "PYTORCH_LIBRARY_PATH (" + dir + ") holds libtorch " + actual + ", but DJL " + DJL_VERSION
                    + " will pair it with JNI glue for libtorch " + declared + " (PYTORCH_VERSION="
                    + (env.apply("PYTORCH_VERSION") == null ? "unset, i.e. " + GLUE_LIBTORCH : declared)
                    + "), which fails on the first tensor: " + FIX;
        }
        if (!base.equals(GLUE_LIBTORCH) && !rebuiltGlue(dir, declared, env)) {
            return "no JNI glue for libtorch " + actual + " in " + dir + " or DJL's cache (DJL " + DJL_VERSION
                    + " ships glue only for " + GLUE_LIBTORCH + " and cannot download it offline): " + FIX;
        }
        return null;
    }

    private static boolean rebuiltGlue(Path dir, String version, Function<String, String> env) {
        if (Files.exists(dir.resolve(DJL_VERSION + "-libdjl_torch.so")) || Files.exists(dir.resolve("libdjl_torch.so"))) {
            return true;
        }
        String flavor = blankToNull(env.apply("PYTORCH_FLAVOR"));
        String cache = blankToNull(env.apply("ENGINE_CACHE_DIR"));
        if (cache == null) {
            cache = blankToNull(env.apply("DJL_CACHE_DIR"));
        }
        Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".djl.ai");
        Path pytorch = root.resolve("pytorch");
        if (flavor != null) {
            return Files.exists(pytorch.resolve(version + "-" + flavor + "-linux-x86_64")
                    .resolve(DJL_VERSION + "-libdjl_torch.so"));
        }
        try (var dirs = Files.list(pytorch)) {   // without a flavor DJL guesses one; any glue for this version will do
            return dirs.anyMatch(d -> d.getFileName().toString().startsWith(version + "-")
                    && Files.exists(d.resolve(DJL_VERSION + "-libdjl_torch.so")));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The version of the libtorch in {@code libDir}: a wheel's {@code torch/version.py} (e.g. 2.11.0+cu130) or a
     * libtorch zip's {@code build-version}; null when neither is there.
     */
    static String libtorchVersion(Path libDir) {
        Path parent = libDir.toAbsolutePath().getParent();
        if (parent == null) {
            return null;
        }
        try {
            Path wheel = parent.resolve("version.py");
            if (Files.isRegularFile(wheel)) {
                Matcher m = WHEEL_VERSION.matcher(Files.readString(wheel));
                if (m.find()) {
                    return m.group(1);
                }
            }
            Path zip = parent.resolve("build-version");
            if (Files.isRegularFile(zip)) {
                String v = Files.readString(zip).trim();
                return v.isEmpty() ? null : v;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * One line for a failure that comes from a libtorch / JNI glue mismatch (or from DJL looking for glue it cannot
     * download), or null for any other failure.
     */
    public static String explain(Throwable failure) {
        return explain(failure, TorchNatives::setting);
    }

    static String explain(Throwable failure, Function<String, String> env) {
        boolean fromGlue = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = Objects.requireNonNullElse(t.getMessage(), "");
            if (message.contains("set_stride is not allowed")) {
                String mismatch = mismatch(env);
                return "libtorch and DJL's JNI glue do not match (" + message.strip() + ")"
                        + (mismatch != null ? ": " + mismatch : ": " + FIX);
            }
            if (message.contains("Failed to save pytorch index file")) {
                return "DJL tried to download libtorch (no PYTORCH_LIBRARY_PATH and a jar without the bundled natives)"
                        + " and could not reach publish.djl.ai: on a machine without internet, " + FIX;
            }
            if (message.contains("Cannot download jni files") || message.contains("Failed to download PyTorch")) {
                return "DJL found no JNI glue or libtorch for PYTORCH_VERSION=" + env.apply("PYTORCH_VERSION")
                        + " and cannot download one (" + message.strip() + "): " + FIX;
            }
            if (t instanceof UnsatisfiedLinkError && message.contains("djl_torch")) {
                return "DJL's JNI glue does not load against this libtorch (" + message.strip() + "): " + FIX;
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("ai.djl.pytorch.jni.PyTorchLibrary")) {
                    fromGlue = true;
                    break;
                }
            }
        }
        if (fromGlue) {
            String mismatch = mismatch(env);
            if (mismatch != null) {
                return mismatch;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** For tests: settings from a map. */
    static Function<String, String> settings(Map<String, String> map) {
        return map::get;
    }
}
