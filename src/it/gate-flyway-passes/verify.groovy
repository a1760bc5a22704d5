import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

def smoke = (log =~ /\[INFO\] Flyway migrations classpath:db\/migration: 2 migrations, fingerprint ([0-9a-f]{64})/)
assert smoke.find()
assert log.contains('[INFO] Deploy gate open: the smoke report passed for this changelog (fingerprint ' + smoke.group(1) + ')')
assert log.contains('[INFO] BUILD SUCCESS')
def gate = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/gate-report.json'))
assert gate.status == 'passed'
assert gate.summary.changeLogFile == 'classpath:db/migration'
assert gate.summary.fingerprint == smoke.group(1)
true
