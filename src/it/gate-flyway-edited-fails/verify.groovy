def log = new File(basedir, 'build.log').getText('UTF-8')

def smoke = (log =~ /\[INFO\] Flyway migrations classpath:db\/migration: 2 migrations, fingerprint ([0-9a-f]{64})/)
assert smoke.find()
assert log =~ /\[ERROR\] smoke: the changelog changed after the smoke test ran: the report's fingerprint does not match the changelog files as they are now \(expected [0-9a-f]{64}, actual ${smoke.group(1)}\) \[gate\.fingerprint-mismatch\] Fix: run migration-safety:smoke again \(mvn verify\) and deploy from that build/
assert log.count('[ERROR] smoke: ') == 1
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
true
