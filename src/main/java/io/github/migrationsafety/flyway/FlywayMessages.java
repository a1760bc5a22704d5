package io.github.migrationsafety.flyway;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Error;

/** Flyway's messages, made one line: its multi-line blocks and the links to its documentation left out. */
final class FlywayMessages {

    private FlywayMessages() {}

    static String clean(String message) {
        if (message == null) {
            return "unknown error";
        }
        StringBuilder text = new StringBuilder();
        for (String line : message.split("\\R")) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.matches("-+") || stripped.contains("https://")) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(stripped.replaceAll("\\s+", " "));
        }
        return text.toString();
    }

    /**
     * The errors of the statement a callback's {@code context} reports as failed, each made one line, joined; {@code
     * null} when the context names no statement.
     */
    static String statementErrors(Context context) {
        if (context.getStatement() == null) {
            return null;
        }
        List<String> messages = new ArrayList<>();
        for (Error error : context.getStatement().getErrors()) {
            messages.add(clean(error.getMessage()));
        }
        return String.join("; ", messages);
    }

    /** The database's own message for a failed statement, when there is one: the innermost SQLException's. */
    static String databaseMessage(Throwable e) {
        SQLException sql = null;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s) {
                sql = s;
            }
        }
        return sql == null ? clean(e.getMessage()) : clean(sql.getMessage());
    }
}
