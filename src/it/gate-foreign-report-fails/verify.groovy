def log = new File(basedir, 'build.log').getText('UTF-8')
def report = new File(basedir, 'target/migration-safety/smoke-report.json').path

assert log.contains("[ERROR] smoke: the smoke report ${report} belongs to another project (expected it:gate-foreign-report-fails, actual com.example:billing) [gate.report-foreign] Fix: run migration-safety:smoke again (mvn verify) and deploy from that build")
assert log.count('[ERROR] smoke: ') == 1
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
