package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.EngineLog;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One embedded PostgreSQL for the smoke and the rehearsal after it: started when the first of them asks for it,
 * stopped when the caller closes this. The smoke works in the server's {@code postgres} database; the rehearsal makes
 * fresh databases beside it, so neither sees the other's objects.
 */
public final class SharedEmbeddedPostgres implements AutoCloseable {

    private final Path serverLog;
    private final Path binaries;
    private final EngineLog log;
    private EmbeddedPostgresServer.Starting starting;
    private EmbeddedPostgresServer server;

    /**
     * @param serverLog where the server's output goes (see {@link EmbeddedPostgresServer#start})
     * @param binaries  the PostgreSQL binaries jar to start, or {@code null} for the plugin's own
     */
    public SharedEmbeddedPostgres(Path serverLog, Path binaries, EngineLog log) {
        this.serverLog = serverLog;
        this.binaries = binaries;
        this.log = log;
    }

    /**
     * Starts the server on a thread of its own, once, so that initdb and the postmaster run while the smoke parses,
     * lints and runs H2; {@link #server()} waits for it.
     */
    public void startInBackground() throws SmokeException {
        if (starting == null && server == null) {
            EmbeddedPostgresServer.requireOnClasspath(SharedEmbeddedPostgres.class.getClassLoader());
            starting = EmbeddedPostgresServer.startInBackground(serverLog, binaries, log);
        }
    }

    /** The server, started on the first call (or by {@link #startInBackground()}) and waited for. */
    public EmbeddedPostgresServer server() throws SmokeException {
        if (server == null) {
            startInBackground();
            server = starting.server();
            starting = null;
        }
        return server;
    }

    @Override
    public void close() throws SmokeException {
        if (starting != null) {
            try {
                starting.close();
            } catch (IOException e) {
                throw new SmokeException("Cannot stop the embedded PostgreSQL: " + e.getMessage()
                        + ". Its server log is " + serverLog + ".");
            } finally {
                starting = null;
            }
        }
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new SmokeException("Cannot stop the embedded PostgreSQL: " + e.getMessage() + ". Its server log is "
                    + serverLog + ".");
        } finally {
            server = null;
        }
    }
}
