// Run after the demo build (./mvnw -B -Pdemo verify and the IT suite): checks the story it tells.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/migration-safety')
assert log =~ /\[INFO\] Connected to H2 .* as SA; schema PUBLIC has 1 tables/
def connect = new JsonSlurper().parse(new File(reports, 'connect-report.json'))
assert connect.status == 'passed'
assert log.contains('[INFO] BUILD SUCCESS')
assert log.contains('[INFO] migration-safety summary (')
assert log =~ /\[INFO\] connect\s+passed\s+0E 0W\s+database=H2 [^,]+, user=SA, schema=PUBLIC, tables=1 -> connect-report\.json/
