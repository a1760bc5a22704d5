// A PostgreSQL database (testsupport/PostgresServer, stopped when the outer build's JVM exits) owned by a role that
// needs the password from invoker.properties, with a model_metadata table holding 4 duplicate groups (6 rows to
// delete). The URL and the user (no secret in either) reach the build through .mvn/maven.config.
import io.github.migrationsafety.testsupport.OnlineIt

OnlineIt.setUp(basedir, false)
true
