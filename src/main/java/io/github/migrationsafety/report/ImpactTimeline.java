package io.github.migrationsafety.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The production impact as an inline SVG timeline: one lane per table, one bar per changeset that locks it, placed
 * where the changeset runs in the migration (changesets run one after another) and as long as its strongest lock is
 * held at production size (the measured time where no estimate exists). The bar's colour says what the lock blocks,
 * and its label says it again in words, so the colour is never the only sign.
 */
final class ImpactTimeline {

    private static final int WIDTH = 960;
    private static final int LABELS = 190;
    private static final int RIGHT = 20;
    private static final int AXIS = 28;
    private static final int LANE = 52;
    private static final int BAR = 20;

    /** One bar: a changeset's lock on one table. */
    private record Bar(String changeset, String table, String lock, String blocks, long millis, boolean estimated) {}

    private ImpactTimeline() {}

    static void write(Html out, List<Map<String, Object>> impact, String id) {
        List<Bar> bars = impact.stream().map(ImpactTimeline::bar).toList();
        Map<String, Long> startOf = new LinkedHashMap<>();
        long clock = 0;
        for (Bar bar : bars) {
            if (!startOf.containsKey(bar.changeset())) {
                startOf.put(bar.changeset(), clock);
                clock += bars.stream()
                        .filter(b -> b.changeset().equals(bar.changeset()))
                        .mapToLong(Bar::millis)
                        .max()
                        .orElse(0);
            }
        }
        long total = Math.max(1, clock);
        List<String> lanes = new ArrayList<>();
        bars.forEach(b -> {
            if (!lanes.contains(b.table())) {
                lanes.add(b.table());
            }
        });
        int height = AXIS + lanes.size() * LANE + 8;
        double scale = (WIDTH - LABELS - RIGHT) / (double) total;

        out.open("figure", "class", "timeline");
        out.element(
                "figcaption",
                "Lock timeline at production size: one lane per table, one bar per changeset's strongest lock,"
                        + " in the order the migration runs them (total " + HtmlTable.duration(clock) + ").");
        out.open(
                "svg",
                "xmlns",
                "http://www.w3.org/2000/svg",
                "viewBox",
                "0 0 " + WIDTH + " " + height,
                "width",
                "100%",
                "role",
                "img",
                "aria-labelledby",
                id + "-title " + id + "-desc");
        out.element("title", "Production lock timeline", "id", id + "-title");
        out.element("desc", description(bars), "id", id + "-desc");
        axis(out, total, scale, height);
        for (int lane = 0; lane < lanes.size(); lane++) {
            int top = AXIS + lane * LANE;
            out.element(
                    "text",
                    shorten(lanes.get(lane), 26),
                    "x",
                    "8",
                    "y",
                    Integer.toString(top + BAR / 2 + 10),
                    "class",
                    "lane");
            for (Bar bar : bars) {
                if (bar.table().equals(lanes.get(lane))) {
                    bar(out, bar, LABELS + startOf.get(bar.changeset()) * scale, bar.millis() * scale, top + 6);
                }
            }
        }
        out.close("svg");
        legend(out);
        out.close("figure").newline();
    }

    private static void bar(Html out, Bar bar, double x, double width, int top) {
        double shown = Math.max(3, width);
        String label = bar.lock() + " \u00b7 blocks " + bar.blocks() + " \u00b7 " + HtmlTable.duration(bar.millis())
                + (bar.estimated() ? "" : " (measured, no estimate)");
        out.open("g", "class", "bar " + kind(bar.blocks()));
        out.open(
                        "rect",
                        "x",
                        fixed(x),
                        "y",
                        Integer.toString(top),
                        "width",
                        fixed(shown),
                        "height",
                        "" + BAR,
                        "rx",
                        "3")
                .element("title", bar.changeset() + ": " + label)
                .close("rect");
        boolean rightAligned = x > WIDTH - 420;
        out.element(
                "text",
                shorten(idOf(bar.changeset()), 40) + ": " + label,
                "x",
                fixed(rightAligned ? Math.min(x + shown, WIDTH - RIGHT) : x),
                "y",
                Integer.toString(top + BAR + 14),
                "text-anchor",
                rightAligned ? "end" : "start");
        out.close("g");
    }

    private static void axis(Html out, long total, double scale, int height) {
        out.open("g", "class", "axis");
        for (int tick = 0; tick <= 4; tick++) {
            long at = total * tick / 4;
            double x = LABELS + at * scale;
            out.open("line", "x1", fixed(x), "x2", fixed(x), "y1", "18", "y2", Integer.toString(height - 4))
                    .close("line");
            out.element(
                    "text",
                    HtmlTable.duration(at),
                    "x",
                    fixed(x),
                    "y",
                    "14",
                    "text-anchor",
                    tick == 0 ? "start" : tick == 4 ? "end" : "middle");
        }
        out.close("g");
    }

    private static void legend(Html out) {
        out.open("ul", "class", "legend");
        for (String[] entry : new String[][] {
            {"blocks-all", "blocks reads and writes"},
            {"blocks-writes", "blocks writes"},
            {"blocks-some", "blocks neither reads nor writes"}
        }) {
            out.open("li")
                    .open("span", "class", "swatch " + entry[0], "aria-hidden", "true")
                    .close("span");
            out.text(entry[1]).close("li");
        }
        out.close("ul");
    }

    private static String description(List<Bar> bars) {
        StringBuilder text = new StringBuilder();
        for (Bar bar : bars) {
            text.append(bar.changeset())
                    .append(" holds ")
                    .append(bar.lock())
                    .append(" on ")
                    .append(bar.table())
                    .append(" for ")
                    .append(HtmlTable.duration(bar.millis()))
                    .append(", blocking ")
                    .append(bar.blocks())
                    .append(". ");
        }
        return text.toString().trim();
    }

    private static Bar bar(Map<String, Object> entry) {
        Map<String, Object> estimate = Json.object(entry, "productionEstimate");
        boolean estimated = estimate.get("estimatedMillis") instanceof Number;
        long millis =
                estimated ? GoalSection.number(estimate, "estimatedMillis") : GoalSection.number(entry, "heldMillis");
        String lock = Json.text(entry, "lock", "");
        return new Bar(
                Json.text(entry, "changeset", "?"),
                Json.text(entry, "table", "?"),
                lock.isEmpty() ? "no lock" : lock,
                Json.text(entry, "blocks", "nothing"),
                millis,
                estimated);
    }

    /** The colour class for what a lock blocks, in the words {@code LockMode.blocks()} uses. */
    static String kind(String blocks) {
        String words = blocks.toLowerCase(Locale.ROOT);
        if (words.contains("read")) {
            return "blocks-all";
        }
        if (words.contains("write")) {
            return "blocks-writes";
        }
        return "blocks-some";
    }

    /** The changeset's id from its {@code file::id::author} key. */
    private static String idOf(String changeset) {
        String[] parts = changeset.split("::");
        return parts.length == 3 ? parts[1] : changeset;
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
