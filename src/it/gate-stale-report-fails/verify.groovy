def log = new File(basedir, 'build.log').getText('UTF-8')
def report = new File(basedir, 'target/migration-safety/smoke-report.json').path

// setup.groovy wrote the report 49 hours before the gate read it, plus however long this build took to get there
assert log =~ /\[ERROR\] smoke: the smoke report \Q${report}\E is 49h \d+m old, older than maxAge 1d \[gate\.report-stale\] Fix: run migration-safety:smoke again \(mvn verify\) and deploy from that build/
assert log.count('[ERROR] smoke: ') == 1
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
