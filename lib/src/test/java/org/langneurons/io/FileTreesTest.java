package org.langneurons.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileTrees.delete removes a whole tree, a missing path is no error, and links are deleted, not followed. */
class FileTreesTest {
    @Test
    void deletesATreeAndToleratesAMissingPath(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("tree");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/deep.txt"), "x");
        Files.writeString(root.resolve("a/top.txt"), "y");
        Files.createDirectories(root.resolve("a-b")); // sorts between a and a/b: children must still go first
        FileTrees.delete(root);
        assertFalse(Files.exists(root));
        FileTrees.delete(root); // already gone: nothing to do
        Path file = dir.resolve("file.txt");
        Files.writeString(file, "z");
        FileTrees.delete(file);
        assertFalse(Files.exists(file));
    }

    @Test
    void deletesLinksWithoutFollowingThem(@TempDir Path dir) throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path root = Files.createDirectories(dir.resolve("tree"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));
        FileTrees.delete(root);
        assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(outside.resolve("keep.txt")));

        Path danglingRoot = Files.createSymbolicLink(dir.resolve("dangling-root"), dir.resolve("nowhere"));
        FileTrees.delete(danglingRoot);
        assertFalse(Files.exists(danglingRoot, LinkOption.NOFOLLOW_LINKS));
        Path linkRoot = Files.createSymbolicLink(dir.resolve("link-root"), outside);
        FileTrees.delete(linkRoot);
        assertFalse(Files.exists(linkRoot, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(outside.resolve("keep.txt")));
    }
}
