def log = new File(basedir, 'build.log').getText('UTF-8')
def report = new File(basedir, 'target/migration-safety/smoke-report.json').path

assert log.contains("[ERROR] smoke: the smoke report ${report} has status 'failed', not 'passed' [gate.smoke-failed] Fix: fix the smoke failures listed in that report, then run migration-safety:smoke again (mvn verify) and deploy from that build")
assert log.contains("[ERROR] Failed to execute goal io.github.migrationsafety:migration-safety-maven-plugin:0.1.0-SNAPSHOT:gate (gate) on project gate-failed-report-fails: Deploy gate closed: the smoke report ${report} has status 'failed', not 'passed' - see ")
assert log.count('[ERROR] smoke: ') == 1
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
