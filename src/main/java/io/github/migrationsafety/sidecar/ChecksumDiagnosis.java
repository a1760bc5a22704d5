package io.github.migrationsafety.sidecar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Explains a checksum mismatch by trying the usual causes: the list was reordered (every order for short
 * lists; sorted, reversed and two names swapped for longer ones), names lost or gained surrounding whitespace,
 * or the checksum was computed with Python's default separators or {@code ensure_ascii=False}. Only cheap
 * hashes of the feature list are computed; no artifact is read. The fallback sentence says which orders were
 * tried, so it never claims more than was checked.
 */
final class ChecksumDiagnosis {

    /** 7! = 5,040 permutations: a few milliseconds of SHA-256 over short strings. */
    private static final int MAX_PERMUTED = 7;

    /** 100 names: 4,950 swaps, tens of milliseconds; beyond that only sorted and reversed orders are tried. */
    private static final int MAX_SWAPPED = 100;

    /** Python's {@code sorted()} compares code points, not UTF-16 units as {@link String#compareTo} does. */
    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private ChecksumDiagnosis() {}

    /** One sentence naming the cause, or the fallback when none of the usual causes fits. */
    static String explain(List<String> features, String stored) {
        List<String> trimmed = features.stream().map(String::strip).toList();
        boolean trimChanges = !trimmed.equals(features);
        if (matchesSomeOrder(features, stored)) {
            return "the stored checksum matches the same names in a different order: feature_list was reordered after"
                    + " the checksum was computed (order matters to the model)";
        }
        if (trimChanges && PythonJson.checksum(trimmed).equals(stored)) {
            return "the stored checksum matches the names with surrounding whitespace removed: whitespace was added to"
                    + " names in feature_list";
        }
        if (trimChanges && matchesSomeOrder(trimmed, stored)) {
            return "the stored checksum matches the whitespace-trimmed names in a different order";
        }
        if (PythonJson.sha256Hex(PythonJson.dumps(features, ", ", true)).equals(stored)) {
            return "the stored checksum was computed with json.dumps' default separators (\", \"), not"
                    + " separators=(\",\", \":\")";
        }
        if (PythonJson.sha256Hex(PythonJson.dumps(features, ",", false)).equals(stored)
                || PythonJson.sha256Hex(PythonJson.dumps(features, ", ", false)).equals(stored)) {
            return "the stored checksum was computed with ensure_ascii=False";
        }
        return "it matches neither " + ordersTried(features.size()) + " nor the whitespace-trimmed names, so"
                + " feature_list or the checksum was edited";
    }

    private static String ordersTried(int size) {
        if (size <= MAX_PERMUTED) {
            return "any other order of the same names";
        }
        if (size <= MAX_SWAPPED) {
            return "the sorted or reversed order, any order with two names swapped,";
        }
        return "the sorted or reversed order (other orders of " + size + " names were not tried)";
    }

    private static boolean matchesSomeOrder(List<String> features, String stored) {
        if (features.size() <= MAX_PERMUTED) {
            return permutationMatches(new ArrayList<>(features), 0, stored, features);
        }
        List<String> sorted = new ArrayList<>(features);
        sorted.sort(CODE_POINT_ORDER);
        if (PythonJson.checksum(sorted).equals(stored)) {
            return true;
        }
        Collections.reverse(sorted);
        if (PythonJson.checksum(sorted).equals(stored)) {
            return true;
        }
        List<String> reversed = new ArrayList<>(features);
        Collections.reverse(reversed);
        if (PythonJson.checksum(reversed).equals(stored)) {
            return true;
        }
        return features.size() <= MAX_SWAPPED && someSwapMatches(features, stored);
    }

    /** Two names swapped: the usual hand edit of a long list. */
    private static boolean someSwapMatches(List<String> features, String stored) {
        List<String> work = new ArrayList<>(features);
        for (int i = 0; i < work.size(); i++) {
            for (int j = i + 1; j < work.size(); j++) {
                if (work.get(i).equals(work.get(j))) {
                    continue;
                }
                Collections.swap(work, i, j);
                boolean matches = PythonJson.checksum(work).equals(stored);
                Collections.swap(work, i, j);
                if (matches) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Heap-style recursion over all orders except the original one. */
    private static boolean permutationMatches(List<String> work, int from, String stored, List<String> original) {
        if (from == work.size()) {
            return !work.equals(original) && PythonJson.checksum(work).equals(stored);
        }
        for (int i = from; i < work.size(); i++) {
            Collections.swap(work, from, i);
            if (permutationMatches(work, from + 1, stored, original)) {
                return true;
            }
            Collections.swap(work, from, i);
        }
        return false;
    }
}
