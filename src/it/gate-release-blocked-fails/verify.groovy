def log = new File(basedir, 'build.log').getText('UTF-8')

def report = new File(basedir, 'target/migration-safety/smoke-report.json').path
assert log.contains("[ERROR] smoke: no smoke report at ${report} [gate.report-missing] Fix: run migration-safety:smoke in the same build before deploy (e.g. mvn verify deploy -Prelease, with the goal bound in the release profile)")
assert log.contains("[ERROR] Failed to execute goal io.github.migrationsafety:migration-safety-maven-plugin:0.1.0-SNAPSHOT:gate (gate) on project gate-release-blocked-fails: Deploy gate closed: no smoke report at ${report} - see ")
assert !new File(basedir, 'target/remote-repo').exists() : 'nothing was uploaded'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
