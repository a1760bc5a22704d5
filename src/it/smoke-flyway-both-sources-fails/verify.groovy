def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-flyway-both-sources-fails: The project has both a Liquibase changelog \(\S+db\/changelog\/db\.changelog-master\.yaml\) and Flyway migrations \(db\/migration\)\. Name the one the application migrates with: <migrationSource>liquibase<\/migrationSource> or <migrationSource>flyway<\/migrationSource> \(-Dmigration-safety\.migrationSource=flyway\)\./
assert !new File(basedir, 'target/migration-safety/smoke-report.json').exists() : 'nothing ran'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
true
