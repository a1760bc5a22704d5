package io.github.migrationsafety.sidecar;

import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code includes}/{@code excludes} globs, matched with {@link java.nio.file.PathMatcher} against the
 * path relative to {@code modelsDirectory}. As in Ant and Maven, a leading {@code **}{@code /} also matches
 * files directly in the directory ({@code **}{@code /*.pkl} matches {@code model.pkl}); plain NIO globs
 * would need one more directory level. Patterns that could leave the directory are refused.
 */
final class PathPatterns {

    private final List<PathMatcher> matchers;

    private PathPatterns(List<PathMatcher> matchers) {
        this.matchers = matchers;
    }

    static PathPatterns of(List<String> patterns, String parameter, FileSystem fileSystem) throws SidecarException {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String raw : patterns) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            String pattern = raw.strip().replace('\\', '/');
            for (String segment : pattern.split("/")) {
                if (segment.equals("..")) {
                    throw new SidecarException("Parameter '" + parameter + "': pattern '" + raw
                            + "' contains a '..' segment. Patterns are relative to modelsDirectory and may not"
                            + " leave it; remove the '..' or point modelsDirectory higher up.");
                }
            }
            if (pattern.startsWith("/") || pattern.matches("^[A-Za-z]:.*")) {
                throw new SidecarException("Parameter '" + parameter + "': pattern '" + raw
                        + "' is absolute. Write it relative to modelsDirectory, e.g. **/*.pkl.");
            }
            matchers.add(fileSystem.getPathMatcher("glob:" + pattern));
            if (pattern.startsWith("**/")) {
                matchers.add(fileSystem.getPathMatcher("glob:" + pattern.substring(3)));
            }
        }
        return new PathPatterns(matchers);
    }

    boolean isEmpty() {
        return matchers.isEmpty();
    }

    boolean matches(Path relative) {
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(relative)) {
                return true;
            }
        }
        return false;
    }
}
