package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.report.Finding;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The artifacts and sidecars under {@code modelsDirectory}. The walk does not follow symbolic links; a
 * linked file is used only when its target lies inside the directory, so a sidecar check can never be
 * pointed at {@code /etc/passwd} or a file another team controls. A link to a directory outside is an error
 * too: the models behind it would otherwise go unchecked without a word.
 *
 * @param root           the models directory, real path
 * @param artifacts      artifacts matching includes and not excludes, sorted by relative path
 * @param orphanSidecars sidecars (relative paths) whose artifact does not exist
 * @param findings       symbolic links that leave the directory or are broken
 */
record ModelTree(Path root, List<Artifact> artifacts, List<String> orphanSidecars, List<Finding> findings) {

    enum SidecarState {
        PRESENT,
        MISSING,
        REFUSED
    }

    /**
     * One model artifact.
     *
     * @param relative   path relative to the root, with {@code /} separators: the subject of every finding
     * @param file       the artifact file
     * @param sidecar    where its sidecar must be
     * @param sidecarState whether the sidecar was found, is missing, or is a link that was refused
     * @param size       bytes at scan time (of the link's target for a link), to start the largest files first
     */
    record Artifact(String relative, Path file, Path sidecar, SidecarState sidecarState, long size) {

        String sidecarRelative(Path root) {
            return ModelTree.relative(root, sidecar);
        }
    }

    static ModelTree scan(Path modelsDirectory, PathPatterns includes, PathPatterns excludes, String sidecarSuffix)
            throws SidecarException {
        if (!Files.isDirectory(modelsDirectory)) {
            throw new SidecarException("Parameter 'modelsDirectory': " + modelsDirectory.toAbsolutePath()
                    + (Files.exists(modelsDirectory) ? " is not a directory" : " does not exist")
                    + ". Point it at the directory that holds the model artifacts and their sidecars.");
        }
        Path root;
        try {
            root = modelsDirectory.toRealPath();
        } catch (IOException e) {
            throw new SidecarException("Parameter 'modelsDirectory': cannot resolve " + modelsDirectory.toAbsolutePath()
                    + ": " + e.getMessage() + ". Check that the directory and the path to it are readable.");
        }
        Map<Path, Long> artifactFiles = new HashMap<>();
        Set<Path> sidecars = new HashSet<>();
        Set<Path> refusedSidecars = new HashSet<>();
        Set<Path> claimed = new HashSet<>();
        List<Finding> findings = new ArrayList<>();
        try {
            Files.walkFileTree(
                    root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            Path relative = root.relativize(file);
                            if (attributes.isSymbolicLink() && Files.isDirectory(file)) {
                                // not walked: one that stays inside is checked where its target is, one that
                                // leaves would bring in models the directory does not hold
                                if (!excludes.matches(relative)) {
                                    linkStaysInside(root, file, findings);
                                }
                                return FileVisitResult.CONTINUE;
                            }
                            if (file.getFileName().toString().endsWith(sidecarSuffix)) {
                                if (attributes.isSymbolicLink() && !linkStaysInside(root, file, findings)) {
                                    refusedSidecars.add(file);
                                } else {
                                    sidecars.add(file);
                                }
                                return FileVisitResult.CONTINUE;
                            }
                            if (!includes.matches(relative)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (excludes.matches(relative)) {
                                // an excluded artifact still owns its sidecar: that sidecar is no orphan
                                claimed.add(sidecarFor(file, sidecarSuffix));
                                return FileVisitResult.CONTINUE;
                            }
                            if (attributes.isSymbolicLink()) {
                                if (!linkStaysInside(root, file, findings)) {
                                    claimed.add(sidecarFor(file, sidecarSuffix));
                                    return FileVisitResult.CONTINUE;
                                }
                                BasicFileAttributes target;
                                try {
                                    target = Files.readAttributes(file, BasicFileAttributes.class);
                                } catch (IOException e) {
                                    return FileVisitResult.CONTINUE;
                                }
                                if (!target.isRegularFile()) {
                                    return FileVisitResult.CONTINUE;
                                }
                                artifactFiles.put(file, target.size());
                                return FileVisitResult.CONTINUE;
                            } else if (!attributes.isRegularFile()) {
                                return FileVisitResult.CONTINUE;
                            }
                            artifactFiles.put(file, attributes.size());
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            throw e;
                        }
                    });
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException denied
                    ? "permission denied on " + denied.getFile()
                    : e.toString();
            throw new SidecarException(
                    "Cannot list " + root + " (parameter 'modelsDirectory'): " + reason
                            + ". Check that the directory and its subdirectories are readable.",
                    e);
        }
        List<Artifact> artifacts = new ArrayList<>();
        for (Map.Entry<Path, Long> found : artifactFiles.entrySet()) {
            Path file = found.getKey();
            Path sidecar = sidecarFor(file, sidecarSuffix);
            claimed.add(sidecar);
            SidecarState state = sidecars.contains(sidecar)
                    ? SidecarState.PRESENT
                    : refusedSidecars.contains(sidecar) ? SidecarState.REFUSED : SidecarState.MISSING;
            artifacts.add(new Artifact(relative(root, file), file, sidecar, state, found.getValue()));
        }
        artifacts.sort(Comparator.comparing(Artifact::relative));
        List<String> orphans = sidecars.stream()
                .filter(s -> !claimed.contains(s))
                .filter(s -> !excludes.matches(root.relativize(s)))
                .map(s -> relative(root, s))
                .sorted()
                .toList();
        return new ModelTree(root, List.copyOf(artifacts), orphans, List.copyOf(findings));
    }

    /**
     * The file's real path, checked again right before it is read: the scan may be minutes old, and a file
     * replaced by a link to outside since then must not be read. Open the result with
     * {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}, so a swap after this check fails instead.
     */
    Path realPathInside(Path file) throws IOException, SidecarException {
        Path real = file.toRealPath();
        if (!real.startsWith(root)) {
            throw new SidecarException(relative(root, file) + " now resolves to " + real + ", outside modelsDirectory "
                    + root + ": it was replaced by a link after the directory was scanned, and was not read. Find out"
                    + " what changes modelsDirectory during the build, then run the goal again.");
        }
        return real;
    }

    /** {@code versions/3/model.pkl} → {@code versions/3/model_metadata.json}: the last extension is replaced. */
    static Path sidecarFor(Path artifact, String suffix) {
        String name = artifact.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return artifact.resolveSibling(base + suffix);
    }

    static String relative(Path root, Path file) {
        Path relative = root.relativize(file);
        List<String> names = new ArrayList<>();
        relative.forEach(p -> names.add(p.toString()));
        return String.join("/", names);
    }

    /** True when the link's target is inside {@code root}; otherwise records why it is refused. */
    static boolean linkStaysInside(Path root, Path link, List<Finding> findings) {
        String subject = relative(root, link);
        try {
            Path target = link.toRealPath();
            if (target.startsWith(root)) {
                return true;
            }
            findings.add(Finding.error(
                            "sidecars.symlink-escape",
                            subject,
                            "is a symbolic link to " + target + ", outside modelsDirectory " + root
                                    + "; it was not read")
                    .withHint(
                            "Copy the file into modelsDirectory or remove the link; links may only point inside it."));
        } catch (NoSuchFileException e) {
            findings.add(
                    Finding.error("sidecars.symlink-broken", subject, "is a symbolic link whose target does not exist")
                            .withHint("Remove the link or restore its target."));
        } catch (IOException e) {
            findings.add(Finding.error(
                            "sidecars.symlink-broken",
                            subject,
                            "is a symbolic link that cannot be resolved: " + e.getMessage())
                    .withHint("Remove the link or fix its target."));
        }
        return false;
    }
}
