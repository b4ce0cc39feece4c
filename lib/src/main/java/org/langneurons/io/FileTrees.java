package org.langneurons.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whole file trees: one careful recursive delete for the library's scratch and cache folders (partial extractions,
 * training checkpoints, unpacked packages).
 *
 * <pre>{@code
 * Path partial = dir.resolve("step-00000100");
 * FileTrees.delete(partial);   // gone, whether it was a folder, a file, a link, or not there at all
 * }</pre>
 */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything under it, children before their folder. Symbolic links are deleted, never
     * followed (a link to a folder outside the tree leaves that folder alone). A path that does not exist, or that
     * disappears while the tree is deleted (another process cleaning up the same folder), is not an error.
     *
     * @throws IOException if something that exists cannot be deleted (permissions, a file added meanwhile to a
     *                     folder being deleted, ...)
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // walkFileTree does not follow links by default: a link is visited as a file and deleted as one
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
