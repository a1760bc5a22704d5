// A "production" database on PostgreSQL 15 (testsupport/Postgres15Server: the version the machine's pg_dump reads,
// stopped when the outer build's JVM exits): Liquibase's own update ran the first changeset there, and
// model_metadata has 1,000 rows, all with distinct (name, version); nothing was changed by hand.
// A role rehearsal_prod owns it and needs the password from invoker.properties. The URL and the user (no secret in
// either) reach the build through .mvn/maven.config.
import io.github.migrationsafety.testsupport.PostgresServer
import io.github.migrationsafety.testsupport.Postgres15Server
import liquibase.Contexts
import liquibase.LabelExpression
import liquibase.Liquibase
import liquibase.database.DatabaseFactory
import liquibase.database.jvm.JdbcConnection
import liquibase.resource.DirectoryResourceAccessor

def database = 'rehearsal_prod_' + ProcessHandle.current().pid() + '_' + System.nanoTime()
def admin = "jdbc:postgresql://localhost:${Postgres15Server.port()}/postgres"
def superuser = new Properties(); superuser.user = PostgresServer.USER; superuser.password = PostgresServer.PASSWORD
new org.postgresql.Driver().connect(admin, superuser).withCloseable { connection ->
    connection.createStatement().withCloseable { statement ->
        statement.execute("DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rehearsal_prod') THEN"
                + " CREATE ROLE rehearsal_prod LOGIN PASSWORD 'Rehearsal-Prod-Secret-3391'; END IF; END \$\$")
        statement.execute("CREATE DATABASE ${database} OWNER rehearsal_prod")
    }
}
def url = "jdbc:postgresql://localhost:${Postgres15Server.port()}/${database}"
System.setProperty('liquibase.analytics.enabled', 'false')
def props = new Properties(); props.user = 'rehearsal_prod'; props.password = 'Rehearsal-Prod-Secret-3391'
new org.postgresql.Driver().connect(url, props).withCloseable { connection ->
    def db = DatabaseFactory.instance.findCorrectDatabaseImplementation(new JdbcConnection(connection))
    new DirectoryResourceAccessor(new File(basedir, 'src/main/resources')).withCloseable { accessor ->
        new Liquibase('db/changelog/db.changelog-master.yaml', accessor, db).update(1, new Contexts(), new LabelExpression())
    }
    connection.autoCommit = true
    connection.createStatement().withCloseable { statement ->
        statement.execute("INSERT INTO model_metadata SELECT g, 'model-' || g, '1.0' FROM generate_series(1, 1000) g")
        statement.execute('ANALYZE model_metadata')
    }
}
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dmigration-safety.url=${url}\n-Dmigration-safety.username=rehearsal_prod\n"
new File(basedir, 'target').mkdirs()
new File(basedir, 'target/production-url.txt').text = url
new File(basedir, 'target/production-before.txt').text = io.github.migrationsafety.testsupport.ItFixture.postgresState(url, 'rehearsal_prod', 'Rehearsal-Prod-Secret-3391')
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true

