// A "production" database on a PostgreSQL that checks passwords on TCP (testsupport/PostgresServer, stopped when
// the outer build's JVM exits): Liquibase's own update ran the first two changesets there, and model_metadata has
// 40,000 rows and statistics. A role smoke_prod owns it and needs the password from invoker.properties. The URL
// and the user (no secret in either) reach the build through .mvn/maven.config.
import io.github.migrationsafety.testsupport.PostgresServer
import liquibase.Contexts
import liquibase.LabelExpression
import liquibase.Liquibase
import liquibase.database.DatabaseFactory
import liquibase.database.jvm.JdbcConnection
import liquibase.resource.DirectoryResourceAccessor

def database = 'smoke_prod_' + ProcessHandle.current().pid() + '_' + System.nanoTime()
PostgresServer.adminConnection().withCloseable { connection ->
    connection.createStatement().withCloseable { statement ->
        statement.execute("DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smoke_prod') THEN"
                + " CREATE ROLE smoke_prod LOGIN PASSWORD '${PostgresServer.scramSecret('Smoke-Prod-Secret-6620')}'; END IF; END \$\$")
        statement.execute("CREATE DATABASE ${database} OWNER smoke_prod")
    }
}
def url = PostgresServer.url(database)
System.setProperty('liquibase.analytics.enabled', 'false')
def props = new Properties(); props.user = 'smoke_prod'; props.password = 'Smoke-Prod-Secret-6620'
new org.postgresql.Driver().connect(url, props).withCloseable { connection ->
    def db = DatabaseFactory.instance.findCorrectDatabaseImplementation(new JdbcConnection(connection))
    new DirectoryResourceAccessor(new File(basedir, 'src/main/resources')).withCloseable { accessor ->
        new Liquibase('db/changelog/db.changelog-master.yaml', accessor, db).update(2, new Contexts(), new LabelExpression())
    }
    connection.autoCommit = true
    connection.createStatement().withCloseable { statement ->
        statement.execute("INSERT INTO model_metadata SELECT g, 'model-' || g, '1.0' FROM generate_series(1, 40000) g")
        statement.execute('ANALYZE model_metadata')
    }
}
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dmigration-safety.url=${url}\n-Dmigration-safety.username=smoke_prod\n"
new File(basedir, 'target').mkdirs()
new File(basedir, 'target/production-url.txt').text = url
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
