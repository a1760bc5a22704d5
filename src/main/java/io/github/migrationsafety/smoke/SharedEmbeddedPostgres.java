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
    private final EngineLog log;
    private EmbeddedPostgresServer server;

    /** @param serverLog where the server's output goes (see {@link EmbeddedPostgresServer#start}) */
    public SharedEmbeddedPostgres(Path serverLog, EngineLog log) {
        this.serverLog = serverLog;
        this.log = log;
    }

    /** The server, started on the first call. */
    public EmbeddedPostgresServer server() throws SmokeException {
        if (server == null) {
            EmbeddedPostgresServer.requireOnClasspath(SharedEmbeddedPostgres.class.getClassLoader());
            server = EmbeddedPostgresServer.start(serverLog, log);
        }
        return server;
    }

    @Override
    public void close() throws SmokeException {
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
