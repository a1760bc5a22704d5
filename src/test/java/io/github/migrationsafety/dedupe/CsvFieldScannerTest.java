package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner behind the PostgreSQL report: fields decoded from COPY's CSV, and raw fields re-ordered into the
 * backup, byte for byte what COPY writes for those columns, whatever the chunking of the stream.
 */
class CsvFieldScannerTest {

    private static final String SPECIALS = "\",\r\n\\' \t";

    @Test
    void decodesKeptFieldsAndTellsNullFromEmpty() throws IOException {
        List<List<String>> records = new ArrayList<>();
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        CsvFieldScanner scanner =
                new CsvFieldScanner(passed, 3, (fields, raw) -> records.add(Arrays.asList(fields.clone())));
        byte[] csv = "\"1\",,\"\",\"x\"\n\"a \"\"q\"\", b\",\"line\nbreak\",\"\u00e9\ud83d\ude00\",\"tail\"\n"
                .getBytes(StandardCharsets.UTF_8);
        scanner.write(csv, 0, csv.length);
        assertTrue(scanner.complete());
        assertArrayEquals(csv, passed.toByteArray(), "bytes pass through unchanged");
        assertEquals(
                List.of(Arrays.asList("1", null, ""), Arrays.asList("a \"q\", b", "line\nbreak", "\u00e9\ud83d\ude00")),
                records);
    }

    @Test
    void rawFieldsAreReadWithoutDecodingTheRecord() throws IOException {
        List<String> seen = new ArrayList<>();
        CsvFieldScanner scanner = new CsvFieldScanner(new ByteArrayOutputStream(), 0, (fields, raw) -> {
                    byte[] copied = new byte[64];
                    int end = raw.copy(2, copied, raw.copy(1, copied, 0));
                    seen.add(raw.number(0) + "|" + raw.text(1) + "|" + raw.text(2) + "|" + raw.is(3, QUOTED_KEEP) + "|"
                            + raw.length(1) + "|" + new String(copied, 0, end, StandardCharsets.UTF_8));
                })
                .withRawFields();
        byte[] csv =
                "\"12\",\"a \"\"q\"\"\",,\"KEEP\"\n7,\"\u00e9\",\"\",\"DELETE\"\n".getBytes(StandardCharsets.UTF_8);
        scanner.write(csv, 0, csv.length);
        for (byte b : csv) {
            scanner.write(b);
        }
        List<String> expected = List.of("12|a \"q\"|null|true|9|\"a \"\"q\"\"\"", "7|\u00e9||false|4|\"\u00e9\"\"\"");
        assertEquals(List.of(expected.get(0), expected.get(1), expected.get(0), expected.get(1)), seen);
        CsvFieldScanner notANumber =
                new CsvFieldScanner(new ByteArrayOutputStream(), 0, (fields, raw) -> raw.number(0)).withRawFields();
        byte[] text = "\"x1\"\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "CSV field 1 is not a number",
                assertThrows(IOException.class, () -> notANumber.write(text, 0, text.length))
                        .getMessage());
    }

    private static final byte[] QUOTED_KEEP = "\"KEEP\"".getBytes(StandardCharsets.US_ASCII);

    @Test
    void anUnfinishedRecordIsNotComplete() throws IOException {
        CsvFieldScanner scanner = new CsvFieldScanner(new ByteArrayOutputStream(), 1, (fields, raw) -> {});
        byte[] csv = "\"1\",\"cut".getBytes(StandardCharsets.UTF_8);
        scanner.write(csv, 0, csv.length);
        assertFalse(scanner.complete());
    }

    @Test
    void rawFieldsRebuildAnyColumnOrderExactlyInAnyChunking() throws IOException {
        Random random = new Random(20261125L);
        for (int round = 0; round < 300; round++) {
            int columns = 1 + random.nextInt(7);
            int[] order = shuffled(columns, random);
            StringBuilder csv = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            for (int r = 0, rows = random.nextInt(12); r < rows; r++) {
                String[] fields = new String[columns];
                for (int c = 0; c < columns; c++) {
                    fields[c] = copyField(randomValue(random));
                }
                csv.append(String.join(",", fields)).append('\n');
                String[] reordered = new String[columns];
                for (int c = 0; c < columns; c++) {
                    reordered[c] = fields[order[c]];
                }
                expected.append(String.join(",", reordered)).append('\n');
            }
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            CsvFieldScanner scanner = new CsvFieldScanner(new ByteArrayOutputStream(), 1, (fields, raw) -> {
                        assertEquals(columns, raw.count());
                        for (int c = 0; c < columns; c++) {
                            if (c > 0) {
                                rebuilt.write(',');
                            }
                            raw.write(order[c], rebuilt);
                        }
                        rebuilt.write('\n');
                    })
                    .withRawFields();
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            for (int offset = 0; offset < bytes.length; ) {
                int length = Math.min(bytes.length - offset, random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(64));
                scanner.write(bytes, offset, length);
                offset += length;
            }
            assertTrue(scanner.complete(), "round " + round);
            assertEquals(expected.toString(), rebuilt.toString(StandardCharsets.UTF_8), "round " + round);
        }
    }

    @Test
    void recordsReadWholeGiveWhatTheByteByByteScanGives() throws IOException {
        Random random = new Random(20261206L);
        for (int round = 0; round < 200; round++) {
            int columns = 1 + random.nextInt(6);
            List<byte[]> records = new ArrayList<>();
            for (int r = 0, rows = 1 + random.nextInt(10); r < rows; r++) {
                String[] fields = new String[columns];
                for (int c = 0; c < columns; c++) {
                    fields[c] = copyField(randomValue(random));
                }
                records.add((String.join(",", fields) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            int keep = random.nextInt(columns + 2);
            List<String> whole = new ArrayList<>();
            CsvFieldScanner byRecord = scanner(whole, keep, columns);
            for (byte[] record : records) {
                byRecord.write(record, 0, record.length);
            }
            List<String> single = new ArrayList<>();
            CsvFieldScanner byByte = scanner(single, keep, columns);
            for (byte[] record : records) {
                for (byte b : record) {
                    byByte.write(b);
                }
            }
            assertTrue(byRecord.complete() && byByte.complete(), "round " + round);
            assertEquals(single, whole, "round " + round);
        }
    }

    /** A scanner that adds, per record, its first {@code keep} fields and its raw fields in reverse order. */
    private static CsvFieldScanner scanner(List<String> seen, int keep, int columns) {
        return new CsvFieldScanner(new ByteArrayOutputStream(), keep, (fields, raw) -> {
                    ByteArrayOutputStream reversed = new ByteArrayOutputStream();
                    for (int c = columns - 1; c >= 0; c--) {
                        raw.write(c, reversed);
                        reversed.write('|');
                    }
                    seen.add(Arrays.asList(fields.clone()) + " " + reversed.toString(StandardCharsets.UTF_8));
                })
                .withRawFields();
    }

    /** A value as COPY ... CSV FORCE_QUOTE * writes it: NULL empty and unquoted, anything else quoted. */
    private static String copyField(String value) {
        return value == null ? "" : "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static String randomValue(Random random) {
        if (random.nextInt(8) == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0, length = random.nextInt(random.nextInt(30) == 0 ? 20_000 : 12); i < length; i++) {
            text.appendCodePoint(
                    switch (random.nextInt(5)) {
                        case 0 -> SPECIALS.charAt(random.nextInt(SPECIALS.length()));
                        case 1 -> 0x80 + random.nextInt(0x780);
                        case 2 -> 0x1F300 + random.nextInt(0x300);
                        default -> 0x20 + random.nextInt(0x5F);
                    });
        }
        return text.toString();
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
