package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A libtorch / JNI glue mismatch is told as one line naming env/gpu-setup.sh, not a stack trace. */
class TorchNativesTest {
    @TempDir
    Path tmp;

    /** A wheel's layout: torch/version.py beside torch/lib/libtorch.so. */
    private Path wheel(String version) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("torch/lib"));
        Files.writeString(lib.resolve("libtorch.so"), "");
        Files.writeString(tmp.resolve("torch/version.py"), "from typing import Optional\n__version__ = '" + version
                + "'\ndebug = False\ncuda: Optional[str] = '13.0'\n");
        return lib;
    }

    private static Map<String, String> env(Path lib, String version, String flavor, Path cache) {
        Map<String, String> env = new HashMap<>();
        env.put("PYTORCH_LIBRARY_PATH", lib.toString());
        if (version != null) {
            env.put("PYTORCH_VERSION", version);
        }
        if (flavor != null) {
            env.put("PYTORCH_FLAVOR", flavor);
        }
        if (cache != null) {
            env.put("ENGINE_CACHE_DIR", cache.toString());
        }
        return env;
    }

    @Test
    void versionOfAWheelAndOfALibtorchZip() throws Exception {
        assertEquals("2.11.0+cu130", TorchNatives.libtorchVersion(wheel("2.11.0+cu130")));
        Path zip = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.writeString(tmp.resolve("libtorch/build-version"), "2.7.1+cu128\n");
        assertEquals("2.7.1+cu128", TorchNatives.libtorchVersion(zip));
        assertNull(TorchNatives.libtorchVersion(Files.createDirectories(tmp.resolve("bare/lib"))));
    }

    @Test
    void newerLibtorchWithTheShippedGlueIsAMismatch() throws Exception {
        Path lib = wheel("2.11.0+cu130");
        // the H200 case: PYTORCH_VERSION=2.7.1 (or unset) so that DJL takes its shipped glue
        for (String declared : new String[] {"2.7.1", null}) {
            String m = TorchNatives.mismatch(TorchNatives.settings(env(lib, declared, "cu128", tmp.resolve("c"))));
            assertTrue(m != null && m.contains("libtorch 2.11.0+cu130") && m.contains("env/gpu-setup.sh"), m);
        }
    }

    @Test
    void matchingVersionNeedsRebuiltGlue() throws Exception {
        Path lib = wheel("2.11.0+cu130");
        Path cache = tmp.resolve("cache");
        Map<String, String> env = env(lib, "2.11.0", "cu130", cache);
        String m = TorchNatives.mismatch(TorchNatives.settings(env));
        assertTrue(m != null && m.startsWith("no JNI glue for libtorch 2.11.0") && m.contains("env/gpu-setup.sh"), m);
        // where env/gpu-setup.sh puts it (DJL's cache layout under ENGINE_CACHE_DIR)
        Path glue = Files.createDirectories(cache.resolve("pytorch/2.11.0-cu130-linux-x86_64"));
        Files.writeString(glue.resolve("0.35.1-libdjl_torch.so"), "");
        assertNull(TorchNatives.mismatch(TorchNatives.settings(env)));
    }

    @Test
    void libtorch271AndBundledNativesAreFine() throws Exception {
        assertNull(TorchNatives.mismatch(TorchNatives.settings(Map.of())));
        Path lib = wheel("2.7.1+cu128");
        assertNull(TorchNatives.mismatch(TorchNatives.settings(env(lib, "2.7.1", "cu128", null))));
        assertNull(TorchNatives.mismatch(TorchNatives.settings(env(lib, null, null, null))));
    }

    @Test
    void explainsTheFailureOfTheFirstTensor() throws Exception {
        Path lib = wheel("2.13.0+cpu");
        Map<String, String> env = env(lib, "2.7.1", "cpu", tmp.resolve("c"));
        // what the 2.7.1 glue throws against libtorch 2.13, from PyTorchLibrary.torchFromBlob
        EngineException e = new EngineException("set_stride is not allowed on a Tensor created from .data or .detach()");
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("ai.djl.pytorch.jni.PyTorchLibrary", "torchFromBlob", null, -2),
            new StackTraceElement("ai.djl.pytorch.jni.JniUtils", "createNdFromByteBuffer", "JniUtils.java", 200)});
        String line = TorchNatives.explain(new RuntimeException("reading weights", e), TorchNatives.settings(env));
        assertTrue(line != null && line.contains("set_stride") && line.contains("2.13.0+cpu")
                && line.contains("env/gpu-setup.sh"), line);
        // a failure inside the glue with no known message (2.11 cu130), told from the versions alone
        RuntimeException bare = new RuntimeException((String) null);
        bare.setStackTrace(e.getStackTrace());
        line = TorchNatives.explain(bare, TorchNatives.settings(env));
        assertTrue(line != null && line.contains("libtorch 2.13.0+cpu"), line);
        // DJL looking for a libtorch to download on a machine without internet (a jar built with -Pdjl-download)
        line = TorchNatives.explain(new EngineException("Failed to save pytorch index file"),
                TorchNatives.settings(Map.of()));
        assertTrue(line != null && line.contains("publish.djl.ai") && line.contains("env/gpu-setup.sh"), line);
        // other failures are left alone
        assertNull(TorchNatives.explain(new IllegalArgumentException("bad"), TorchNatives.settings(env)));
        assertNull(TorchNatives.explain(bare, TorchNatives.settings(Map.of())));
    }

    @Test
    void cliPrintsOneErrorLine() throws Exception {
        Path lib = wheel("2.13.0+cpu");
        System.setProperty("PYTORCH_LIBRARY_PATH", lib.toString());
        System.setProperty("PYTORCH_VERSION", "2.7.1");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true));
            int status = org.langneurons.cli.Main.run("info", "--model", "default");
            assertEquals(1, status);
        } finally {
            System.setErr(err);
            System.clearProperty("PYTORCH_LIBRARY_PATH");
            System.clearProperty("PYTORCH_VERSION");
        }
        String out = captured.toString().strip();
        assertTrue(out.startsWith("error: PYTORCH_LIBRARY_PATH") && out.contains("env/gpu-setup.sh")
                && !out.contains("\tat "), out);
    }
}
