// A PostgreSQL that checks passwords on TCP (testsupport/PostgresServer, stopped when the outer build's JVM
// exits), a role smoke_app that needs the password from invoker.properties and may create databases, and a
// database that role owns.
// The URL and the user (no secret in either) reach the build through .mvn/maven.config.
import io.github.migrationsafety.testsupport.PostgresServer

def database = 'smoke_url_' + ProcessHandle.current().pid() + '_' + System.nanoTime()
PostgresServer.adminConnection().withCloseable { connection ->
    connection.createStatement().withCloseable { statement ->
        statement.execute("DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smoke_app') THEN"
                + " CREATE ROLE smoke_app LOGIN PASSWORD '${PostgresServer.scramSecret('Smoke-Url-Secret-3318')}'; END IF; END \$\$")
        // the smoke creates a fresh database on a throw-away server, and drops it afterwards
        statement.execute("ALTER ROLE smoke_app CREATEDB")
        statement.execute("CREATE DATABASE ${database} OWNER smoke_app")
    }
}
def url = PostgresServer.url(database)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dmigration-safety.postgres=${url}\n-Dmigration-safety.username=smoke_app\n"
new File(basedir, 'target').mkdirs()
new File(basedir, 'target/postgres-url.txt').text = url
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
