package org.langneurons.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Files shipped inside the library's jar (the embedded default model and corpus), extracted once into a cache
 * folder named by their content hash, since memory-mapped loading needs real files. The cache is
 * {@code $LANGNEURONS_CACHE} or {@code ~/.cache/langneurons}.
 *
 * <pre>{@code
 * Path model = EmbeddedResources.extract("org/langneurons/default/model", "default-model");
 * // EmbeddedResources.cacheRoot()/default-model-HASH, copied out of the jar on the first call only
 * }</pre>
 */
public final class EmbeddedResources {
    private EmbeddedResources() {
    }

    /** The cache root. */
    public static Path cacheRoot() {
        String env = System.getenv("LANGNEURONS_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache",
                "langneurons");
    }

    /**
     * Extracts classpath folder {@code resourceFolder} (listed by its {@code files.txt}, one relative path a line)
     * into {@code cacheRoot()/name-HASH} and returns that folder; a complete extraction is reused.
     */
    public static Path extract(String resourceFolder, String name) {
        String base = resourceFolder.endsWith("/") ? resourceFolder : resourceFolder + "/";
        List<String> files = read(base + "files.txt").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String f : files) {
                try (InputStream in = open(base + f)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
                digest.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            String hash = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            Path target = cacheRoot().resolve(name + "-" + hash);
            if (Files.isRegularFile(target.resolve(".complete"))) {
                return target;
            }
            Files.createDirectories(cacheRoot());
            Path tmp = Files.createTempDirectory(cacheRoot(), name + "-partial");
            for (String f : files) {
                Path out = tmp.resolve(f).normalize();
                if (!out.startsWith(tmp)) {
                    throw new IllegalStateException("resource path escapes its folder: " + f);
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = open(base + f)) {
                    Files.copy(in, out);
                }
            }
            Files.writeString(tmp.resolve(".complete"), hash + "\n");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException
                    | java.nio.file.DirectoryNotEmptyException raced) {
                FileTrees.delete(tmp); // another process extracted it meanwhile, or a stale partial copy is in the way
                if (!Files.isRegularFile(target.resolve(".complete"))) {
                    FileTrees.delete(target);
                    return extract(resourceFolder, name);
                }
            }
            return target;
        } catch (IOException e) {
            throw new CheckpointException(cacheRoot(), "cannot extract embedded " + name + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = EmbeddedResources.class.getResourceAsStream("/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing embedded resource " + resource + " (a broken build?)");
        }
        return in;
    }

    private static String read(String resource) {
        try (InputStream in = open(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read embedded resource " + resource, e);
        }
    }
}
