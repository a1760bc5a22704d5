def log = new File(basedir, 'build.log').getText('UTF-8')
def report = new File(basedir, 'target/migration-safety/smoke-report.json').path

assert log =~ /\[ERROR\] smoke: the changelog changed after the smoke test ran: the report's fingerprint does not match the changelog files as they are now \(expected [0-9a-f]{64}, actual 0{64}\) \[gate\.fingerprint-mismatch\] Fix: run migration-safety:smoke again \(mvn verify\) and deploy from that build/
assert log.count('[ERROR] smoke: ') == 1
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
