package org.langneurons.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.langneurons.io.FileTrees;

/**
 * Fetches and unpacks the corpus sources into a cache folder without installing anything: Debian packages with
 * {@code apt-get download} and {@code dpkg-deb -x}, npm packages with {@code npm pack} and {@code tar}. What the
 * cache already holds is reused (a marker file records each finished unpack and its version).
 *
 * <p>Layout: {@code CACHE/downloads/} (the .deb and .tgz files), {@code CACHE/unpacked/NAME/} (their contents) and
 * {@code CACHE/unpacked/NAME.version}.
 */
final class PackageCache {
    private final Path downloads;
    private final Path unpacked;
    private final Consumer<String> log;

    PackageCache(Path dir, Consumer<String> log) {
        this.downloads = dir.resolve("downloads");
        this.unpacked = dir.resolve("unpacked");
        this.log = log;
        try {
            Files.createDirectories(downloads);
            Files.createDirectories(unpacked);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cache folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** An unpacked package and the version that was fetched. */
    record Unpacked(Path root, String version) {
    }

    /**
     * A Debian package, unpacked. Asks apt for {@code pinned} first; if that version is gone from the archive (a
     * security update replaced it), takes apt's candidate version and says so.
     */
    synchronized Unpacked debian(String pkg, String pinned) throws IOException {
        Unpacked done = cached(pkg);
        if (done != null) {
            return done;
        }
        log.accept("fetching Debian package " + pkg + (pinned == null ? "" : " (" + pinned + ")"));
        Result r = pinned == null ? null : run(downloads, "apt-get", "download", pkg + "=" + pinned);
        if (r == null || r.exit != 0) {
            if (r != null) {
                log.accept("  version " + pinned + " of " + pkg + " is not available (" + r.lastLine()
                        + "); taking apt's candidate version (are apt's lists current? `apt-get update`)");
            }
            r = run(downloads, "apt-get", "download", pkg);
            if (r.exit != 0) {
                throw new IOException("apt-get download " + pkg + " failed (exit " + r.exit + "): " + r.lastLine()
                        + " -- is the package name right, and has `apt-get update` been run on this machine?");
            }
        }
        Path deb;
        try (Stream<Path> s = Files.list(downloads)) {
            deb = s.filter(p -> p.getFileName().toString().startsWith(pkg + "_") && p.toString().endsWith(".deb"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IOException("apt-get download " + pkg + " left no " + pkg + "_*.deb in "
                            + downloads));
        }
        Result v = run(downloads, "dpkg-deb", "-f", deb.toString(), "Version");
        if (v.exit != 0) {
            throw new IOException("dpkg-deb -f " + deb + " Version failed: " + v.lastLine());
        }
        String version = v.out.strip();
        Path tmp = unpacked.resolve(pkg + ".partial");
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);
        Result x = run(downloads, "dpkg-deb", "-x", deb.toString(), tmp.toString());
        if (x.exit != 0) {
            throw new IOException("dpkg-deb -x " + deb + " failed: " + x.lastLine());
        }
        return finish(pkg, tmp, version);
    }

    /** An npm package at an exact version, unpacked (its files are under {@code ROOT/package/}). */
    synchronized Unpacked npm(String name, String version) throws IOException {
        String key = "npm-" + name + "-" + version;
        Unpacked done = cached(key);
        if (done != null) {
            return done;
        }
        log.accept("fetching npm package " + name + "@" + version);
        Path tgz = downloads.resolve(name + "-" + version + ".tgz");
        if (!Files.isRegularFile(tgz)) {
            Result r = run(downloads, "npm", "pack", name + "@" + version, "--silent");
            if (r.exit != 0 || !Files.isRegularFile(tgz)) {
                throw new IOException("npm pack " + name + "@" + version + " failed (exit " + r.exit + "): "
                        + r.lastLine());
            }
        }
        Path tmp = unpacked.resolve(key + ".partial");
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);
        Result x = run(downloads, "tar", "-xzf", tgz.toString(), "-C", tmp.toString());
        if (x.exit != 0) {
            throw new IOException("tar -xzf " + tgz + " failed: " + x.lastLine());
        }
        return finish(key, tmp, version);
    }

    private Unpacked cached(String key) throws IOException {
        Path marker = unpacked.resolve(key + ".version");
        Path root = unpacked.resolve(key);
        if (Files.isRegularFile(marker) && Files.isDirectory(root)) {
            return new Unpacked(root, Files.readString(marker, StandardCharsets.UTF_8).strip());
        }
        return null;
    }

    private Unpacked finish(String key, Path tmp, String version) throws IOException {
        Path root = unpacked.resolve(key);
        FileTrees.delete(root);
        Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(unpacked.resolve(key + ".version"), version + "\n", StandardCharsets.UTF_8);
        log.accept("  unpacked " + key + " " + version);
        return new Unpacked(root, version);
    }

    private record Result(int exit, String out) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("E:")) {
                    return lines[i].strip();
                }
            }
            return lines[lines.length - 1].strip();
        }
    }

    private static Result run(Path cwd, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command[0] + " (" + e.getMessage() + "): the corpus builder needs "
                    + "Debian's apt-get and dpkg-deb, npm and tar on the PATH", e);
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Result(p.waitFor(), out);
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
    }
}
