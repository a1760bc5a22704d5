// Every password source logged in at -X; SecretLeakIT (src/test/java/.../it) then checks that none of the
// passwords appears in this log or the reports.
def log = new File(basedir, 'build.log').text
assert log.contains("[DEBUG] Configuring mojo execution 'io.github.migrationsafety:migration-safety-maven-plugin:0.1.0-SNAPSHOT:connect:connect-cli'")
assert log =~ /\[INFO\] Connected to H2 .* at jdbc:h2:file:.*\/target\/db\/cli;MODE=PostgreSQL as APP; schema PUBLIC has 0 tables/
assert log.contains('[INFO] BUILD SUCCESS')
