package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.testsupport.MemoryTemp;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The streaming HMAC against Python's {@code hmac.new(key.encode("utf-8"), data, sha256)}. */
class ArtifactHasherTest {

    @TempDir
    Path dir;

    static Stream<Arguments> vectors() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode v : PythonJsonTest.vectorFile("hmac.json").get("vectors")) {
            cases.add(Arguments.of(
                    v.get("key").textValue(),
                    v.get("length").asInt(),
                    v.get("hmac").textValue()));
        }
        return cases.stream();
    }

    static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ((i * 31L + 7) % 256);
        }
        return bytes;
    }

    @ParameterizedTest(name = "key {0}, {1} bytes")
    @MethodSource("vectors")
    void matchesPythonHmac(String key, int length, String expected) throws Exception {
        Path artifact = Files.write(dir.resolve("a.bin"), pattern(length));
        Progress progress = new Progress("Signed", 1, Duration.ofHours(1), EngineLog.silent());
        byte[] mac = new ArtifactHasher(ModelFixture.key(key)).hmac(artifact, progress);
        assertEquals(expected, HexFormat.of().formatHex(mac));
        assertEquals(length, progress.bytes());
    }

    @Test
    void vectorsIncludeNonAsciiKeysAndBufferBoundaries() {
        List<Object[]> all = vectors().map(Arguments::get).toList();
        assertEquals(50, all.size());
        assertEquals(true, all.stream().anyMatch(a -> ((String) a[0]).contains("\uD83D\uDD11")));
        assertEquals(true, all.stream().anyMatch(a -> (int) a[1] == ArtifactHasher.BUFFER_BYTES + 1));
    }

    /**
     * 2 GiB + 7 bytes, past the int range, as a sparse file: no disk space used, and the HMAC must equal Python's
     * over the same zeros. Part of every build, because offsets past 2^31 are where a streaming hasher breaks. The file
     * lies in shared memory where the machine has it ({@link MemoryTemp#root()}): about 1.5 s there, where reading a
     * hole copies the kernel's one zero page; on disk (ext4) the first read of a new sparse file fills 2 GiB of page
     * cache with zeros first (7-10 s of system time).
     */
    @Test
    void multiGibSparseArtifact() throws Exception {
        sparse(0);
    }

    /** The same path in the default build: a 256 MiB + 7 sparse file. */
    @Test
    void sparseArtifact() throws Exception {
        sparse(1);
    }

    private void sparse(int vector) throws Exception {
        JsonNode sparse = PythonJsonTest.vectorFile("hmac.json").get("sparse").get(vector);
        long length = sparse.get("length").asLong();
        Path directory = Files.createTempDirectory(MemoryTemp.root(), "artifact-hasher-test");
        Path artifact = directory.resolve("huge.safetensors");
        try {
            try (RandomAccessFile file = new RandomAccessFile(artifact.toFile(), "rw")) {
                file.setLength(length);
            }
            Progress progress = new Progress("Signed", 1, Duration.ofHours(1), EngineLog.silent());
            byte[] mac = new ArtifactHasher(ModelFixture.key(sparse.get("key").textValue())).hmac(artifact, progress);
            assertEquals(sparse.get("hmac").textValue(), HexFormat.of().formatHex(mac));
            assertEquals(length, progress.bytes());
        } finally {
            Files.deleteIfExists(artifact);
            Files.deleteIfExists(directory);
        }
    }

    @Test
    void zeroByteArtifact() throws Exception {
        Path artifact = Files.write(dir.resolve("empty.pkl"), new byte[0]);
        Progress progress = new Progress("Signed", 1, Duration.ofHours(1), EngineLog.silent());
        byte[] mac = new ArtifactHasher(ModelFixture.key(ModelFixture.KEY)).hmac(artifact, progress);
        assertEquals(
                ModelFixture.hmac(new byte[0], ModelFixture.KEY), HexFormat.of().formatHex(mac));
    }

    /**
     * One hasher reuses its buffers and MACs across files: a long file, then shorter ones, then an empty one must
     * not carry bytes or MAC state over, and a read that fails half-way must not spoil the next file.
     */
    @Test
    void reusedAcrossFilesThreadsAndFailures() throws Exception {
        ArtifactHasher hasher = new ArtifactHasher(ModelFixture.key(ModelFixture.KEY));
        Progress progress = new Progress("Signed", 1, Duration.ofHours(1), EngineLog.silent());
        List<Integer> lengths =
                List.of(3 * ArtifactHasher.BUFFER_BYTES + 5, 100, ArtifactHasher.BUFFER_BYTES, 0, 4097, 17);
        List<Path> files = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < lengths.size(); i++) {
            files.add(Files.write(dir.resolve("m" + i + ".bin"), pattern(lengths.get(i))));
            total += lengths.get(i);
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < files.size(); i++) {
                assertEquals(
                        ModelFixture.hmac(pattern(lengths.get(i)), ModelFixture.KEY),
                        HexFormat.of().formatHex(hasher.hmac(files.get(i), progress)),
                        "file " + i);
            }
            // a directory opens but fails on the first read, after the MAC was taken from the idle sets
            assertThrows(IOException.class, () -> hasher.hmac(dir, progress));
        }
        assertEquals(2 * total, progress.bytes());
        assertEquals(2 * files.size(), progress.filesHashed());

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Path file = files.get(i % files.size());
                results.add(pool.submit(() -> HexFormat.of().formatHex(hasher.hmac(file, progress))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(
                        ModelFixture.hmac(pattern(lengths.get(i % files.size())), ModelFixture.KEY),
                        results.get(i).get(),
                        "task " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
