package io.github.migrationsafety.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link OnlineState} to and from the {@code "online"} object of {@code manifest.json}. */
final class OnlineStateJson {

    private OnlineStateJson() {}

    static Map<String, Object> toJson(OnlineState state) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("batchSize", state.batchSize());
        json.put("round", state.round());
        json.put("phase", state.phase().text());
        json.put("planFile", state.planFile());
        json.put("planRows", state.planRows());
        json.put("planSha256", state.planSha256());
        json.put("planDone", state.planDone());
        json.put("batches", state.batches());
        json.put("skipped", state.skipped());
        json.put("firstRound", state.firstRound());
        json.put("dataBytes", state.dataBytes());
        json.put("repointBytes", state.repointBytes());
        OnlineState.Batch pending = state.pending();
        if (pending != null) {
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("xid", pending.xid());
            batch.put("planFrom", pending.planFrom());
            batch.put("planTo", pending.planTo());
            batch.put("rowsFile", pending.rowsFile());
            batch.put("rows", pending.rows());
            batch.put("rowsSha256", pending.rowsSha256());
            batch.put("repointsFile", pending.repointsFile());
            batch.put("repoints", pending.repoints());
            batch.put("repointsSha256", pending.repointsSha256());
            json.put("pending", batch);
        } else {
            json.put("pending", null);
        }
        List<List<Long>> marks = new ArrayList<>();
        for (OnlineState.Mark m : state.recent()) {
            marks.add(List.of(
                    m.xid(),
                    m.planDone(),
                    m.batches(),
                    m.skipped(),
                    m.rowCount(),
                    m.dataBytes(),
                    m.repointCount(),
                    m.repointBytes()));
        }
        json.put("recent", marks);
        return json;
    }

    @SuppressWarnings("unchecked")
    static OnlineState fromJson(Map<String, Object> json) throws IOException {
        OnlineState.Phase phase = null;
        for (OnlineState.Phase p : OnlineState.Phase.values()) {
            if (p.text().equals(json.get("phase"))) {
                phase = p;
            }
        }
        if (phase == null) {
            throw new IOException("'online.phase' must be one of planning, deleting, done");
        }
        OnlineState.Batch pending = null;
        if (json.get("pending") instanceof Map<?, ?> map) {
            Map<String, Object> b = (Map<String, Object>) map;
            pending = new OnlineState.Batch(
                    number(b, "xid"),
                    number(b, "planFrom"),
                    number(b, "planTo"),
                    (String) b.get("rowsFile"),
                    number(b, "rows"),
                    (String) b.get("rowsSha256"),
                    (String) b.get("repointsFile"),
                    number(b, "repoints"),
                    (String) b.get("repointsSha256"));
        }
        List<OnlineState.Mark> recent = new ArrayList<>();
        if (json.get("recent") instanceof List<?> list) {
            for (Object item : list) {
                List<Object> m = (List<Object>) item;
                recent.add(new OnlineState.Mark(
                        value(m.get(0)),
                        value(m.get(1)),
                        value(m.get(2)),
                        value(m.get(3)),
                        value(m.get(4)),
                        value(m.get(5)),
                        value(m.get(6)),
                        value(m.get(7))));
            }
        }
        return new OnlineState(
                (int) number(json, "batchSize"),
                (int) number(json, "round"),
                phase,
                (String) json.get("planFile"),
                number(json, "planRows"),
                (String) json.get("planSha256"),
                number(json, "planDone"),
                number(json, "batches"),
                number(json, "skipped"),
                number(json, "firstRound"),
                number(json, "dataBytes"),
                number(json, "repointBytes"),
                pending,
                recent);
    }

    private static long number(Map<String, Object> json, String key) throws IOException {
        Object value = json.get(key);
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IOException("'online." + key + "' must be an integer");
    }

    private static long value(Object value) {
        return ((Number) value).longValue();
    }
}
